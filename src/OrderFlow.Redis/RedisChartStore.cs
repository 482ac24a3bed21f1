using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Redis.Diagnostics;
using OrderFlow.Redis.InPlace;
using OrderFlow.Redis.Serialization;
using StackExchange.Redis;

namespace OrderFlow.Redis;

/// <summary>
/// The <see cref="IChartStore"/> on StackExchange.Redis, under the seed's keys and TTLs. Share one instance (it holds
/// one <see cref="IConnectionMultiplexer"/>).
/// </summary>
/// <remarks>
/// <para>
/// Every command touches one key (no <c>KEYS</c>, no multi-key commands, no transactions), so the store works on Redis
/// Cluster and on managed Redis with TLS and a password. Writes are asynchronous and pipelined: the live pair and the
/// publish go out as one batch.
/// </para>
/// <para>
/// Faults: when Redis is unreachable, times out or restarts, the operation throws <see cref="ChartStoreException"/>
/// (logged as event 2004 and counted in <c>orderflow.redis.errors</c>); the connection reconnects in the background,
/// subscriptions are restored by the client, and the next successful write restores the keys.
/// </para>
/// </remarks>
public sealed class RedisChartStore : IChartStore, IAsyncDisposable
{
    private readonly StoreCore _core;
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;

    /// <summary>Creates a store on an existing, shared connection (which the store does not dispose).</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options (<see cref="ChartStoreOptions.Configuration"/> is not used here).</param>
    /// <param name="logger">The logger; null for none.</param>
    /// <param name="meterFactory">Creates the <c>OrderFlow.Redis</c> meter; null for an unshared meter.</param>
    /// <param name="timeProvider">Measures write durations; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public RedisChartStore(IConnectionMultiplexer connection, ChartStoreOptions options, ILogger<RedisChartStore>? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(connection, options, logger, meterFactory, timeProvider, ownsConnection: false)
    {
    }

    private RedisChartStore(IConnectionMultiplexer connection, ChartStoreOptions options, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _core = new StoreCore(options, requireConfiguration: false, logger, meterFactory, timeProvider);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _connection.ConnectionFailed += OnConnectionFailed;
        _connection.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>The connection the store uses.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>
    /// Connects to Redis with <see cref="ChartStoreOptions.Configuration"/> and creates a store that owns the
    /// connection. Start-up does not fail when Redis is down (<c>abortConnect=false</c>): operations throw
    /// <see cref="ChartStoreException"/> until the connection is established in the background.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">The logger factory; null for none.</param>
    /// <param name="meterFactory">Creates the <c>OrderFlow.Redis</c> meter; null for an unshared meter.</param>
    /// <param name="timeProvider">Measures write durations; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the call before connecting.</param>
    /// <returns>The store; dispose it to close the connection.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="ArgumentException">The configuration string cannot be parsed.</exception>
    public static async Task<RedisChartStore> ConnectAsync(ChartStoreOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ChartStoreOptionsValidator.ThrowIfInvalid(options, requireConfiguration: true);
        cancellationToken.ThrowIfCancellationRequested();
        var logger = loggerFactory?.CreateLogger<RedisChartStore>() ?? (ILogger)NullLogger.Instance;
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        Log.Connecting(logger, options);
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return new RedisChartStore(connection, options, logger, meterFactory, timeProvider, ownsConnection: true);
    }

    /// <inheritdoc/>
    public async Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        var stamp = WriteStamp.Next();
        using var json = StoreCore.SerializeValue(candles.Span, stamp);
        var hash = StoreCore.HashContent(json.WrittenSpan);
        var db = _connection.GetDatabase();
        try
        {
            // Unchanged since our last write: refresh the TTL only, when the key still holds that write (ends with its
            // stamp); otherwise (expired, deleted, restored, written by another process) the value is written again.
            var written = !(_core.IsUnchanged(keys.Chart, hash) && _core.TryGetLayout(keys.Chart, out var layout)
                && await InPlaceScript.TouchAsync(db, keys.ChartKey, layout, _core.Options.ChartTtl).ConfigureAwait(false));
            if (written)
            {
                _core.Forget(keys.Chart);
                await db.StringSetAsync(keys.ChartKey, json.WrittenMemory, _core.Options.ChartTtl).ConfigureAwait(false);
                _core.RememberWhole(keys.Chart, hash, json.WrittenSpan, stamp);
            }
            else
            {
                Log.ChartUnchanged(_core.Logger, keys.Chart);
            }

            _core.Metrics.Write("chart", written, _core.Time.GetElapsedTime(start));
            return written;
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            _core.Forget(keys.Chart);
            json.Abandon();
            throw _core.Fail("save_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One <c>EVALSHA</c> of a short script (<see cref="InPlaceScript"/>): it checks that the key still holds the value
    /// this store last wrote (it ends with the same <see cref="WriteStamp"/>), then writes the blanked oldest candles and
    /// the changed tail with <c>SETRANGE</c> and refreshes the TTL, atomically.
    /// </remarks>
    public async Task<bool> SaveChartChangesAsync(Symbol symbol, Timeframe timeframe, ChartChanges changes, ReadOnlyMemory<Candle> tail, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        using var edit = _core.PlanChart(keys.Chart, changes, tail.Span);
        if (edit is null)
        {
            return false;
        }

        try
        {
            var applied = await InPlaceScript.RunAsync(_connection.GetDatabase(), keys.ChartKey, edit, _core.Options.ChartTtl).ConfigureAwait(false);
            if (!applied)
            {
                Log.InPlaceRefused(_core.Logger, keys.Chart);
                return false;
            }

            _core.Applied(keys.Chart, edit);
            _core.Metrics.Write("chart", written: true, _core.Time.GetElapsedTime(start));
            return true;
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            edit.Abandon();
            throw _core.Fail("save_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_core.HasWritten(keys.Chart))
        {
            return false;
        }

        var start = _core.Time.GetTimestamp();
        try
        {
            // False when the key is gone or no longer holds what we wrote; then it must be written again, so forget it.
            var touched = _core.TryGetLayout(keys.Chart, out var layout)
                && await InPlaceScript.TouchAsync(_connection.GetDatabase(), keys.ChartKey, layout, _core.Options.ChartTtl).ConfigureAwait(false);
            if (!touched)
            {
                _core.Forget(keys.Chart);
            }

            _core.Metrics.Write("chart", written: false, _core.Time.GetElapsedTime(start));
            return touched;
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            _core.Forget(keys.Chart);
            throw _core.Fail("touch_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    public async Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var lease = await _connection.GetDatabase().StringGetLeaseAsync(keys.ChartKey).ConfigureAwait(false);
            return lease is null ? null : _core.DecodeArray(keys.Chart, lease.Span);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("load_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The value is copied once, into an array of its size, and hashed once here for <see cref="StoredChart.Version"/>:
    /// another process may have written it, so the hash remembered on save cannot stand in for it.
    /// </remarks>
    public async Task<StoredChart?> LoadChartJsonAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Read into a pooled lease (its array, rounded up to a power of two, goes back to the pool) and copied once
            // into an array of the value's size, which outlives the call: the chart server caches it.
            using var lease = await _connection.GetDatabase().StringGetLeaseAsync(keys.ChartKey).ConfigureAwait(false);
            if (lease is null)
            {
                return null;
            }

            ReadOnlyMemory<byte> json = lease.Span.ToArray();
            return _core.CheckChart(keys.Chart, json, StoreCore.Hash(json.Span));
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("load_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks><seealso href="https://redis.io/commands/exists/"/></remarks>
    public async Task<bool> ChartExistsAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _connection.GetDatabase().KeyExistsAsync(keys.ChartKey).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("load_chart", keys.Chart, ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The live buffer is written whole only when this store has not written it yet, lost it, or compacts it; otherwise
    /// only what changed since the last write goes, in place (see <see cref="SaveChartChangesAsync"/>): the current
    /// candle, and when a new one opens, the oldest blanked. While only the newest candle changes, the buffer is
    /// rewritten at most every <see cref="ChartStoreOptions.BufferRefreshInterval"/> (the current key has it). The two writes and the publish are one round trip (a
    /// second one writes the buffer whole when the in-place write finds the key changed).
    /// </remarks>
    public async Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        var candles = _core.CapBuffer(buffer);
        using var currentJson = StoreCore.SerializeObject(current);
        using var edit = _core.PlanBuffer(keys.Buffer, candles.Span, out var skipBuffer);
        var db = _connection.GetDatabase();
        Task<bool>? setBuffer = null;
        Task? writeWhole = null;
        try
        {
            // One round trip: the writes and the PUBLISH are flushed together. Not a transaction (MULTI needs one slot).
            var batch = db.CreateBatch();
            var setCurrent = batch.StringSetAsync(keys.CurrentKey, currentJson.WrittenMemory, _core.Options.CurrentTtl);
            setBuffer = edit is null ? null : InPlaceScript.RunAsync(batch, keys.BufferKey, edit, _core.Options.BufferTtl);
            var publish = batch.PublishAsync(keys.RedisChannel, currentJson.WrittenMemory);
            writeWhole = setBuffer is null && !skipBuffer ? WriteBufferWholeAsync(batch, keys, candles.Span) : null;
            batch.Execute();

            // WhenAll observes every failure, so none is left unobserved. The pooled buffers go back to the pool only
            // after success: a command that timed out might still be read by the client, so those are abandoned.
            await Task.WhenAll(setCurrent, publish, (Task?)setBuffer ?? writeWhole ?? Task.CompletedTask).ConfigureAwait(false);
            if (setBuffer is not null)
            {
                if (await setBuffer.ConfigureAwait(false))
                {
                    _core.Applied(keys.Buffer, edit!, candles.Span);
                }
                else
                {
                    Log.InPlaceRefused(_core.Logger, keys.Buffer);
                    await WriteBufferWholeAsync(db, keys, candles.Span).ConfigureAwait(false);
                }
            }

            _core.Metrics.Write("live", written: true, _core.Time.GetElapsedTime(start));
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            // The batch can fail before the buffer's task completes (Execute throws when no connection is up), and
            // that task is our async wrapper, not one the client observes itself: observe its failure when it comes.
            Observe(setBuffer);
            Observe(writeWhole);
            currentJson.Abandon();
            edit?.Abandon();
            _core.Forget(keys.Buffer);
            throw _core.Fail("save_live", keys.Current, ex);
        }
    }

    /// <summary>Writes a live buffer whole, with a new stamp, and remembers it; the value is serialised before the call returns.</summary>
    private Task WriteBufferWholeAsync(IDatabaseAsync db, Keys.ChartKeySet keys, ReadOnlySpan<Candle> candles)
    {
        var stamp = WriteStamp.Next();
        var json = StoreCore.SerializeValue(candles, stamp);
        var set = db.StringSetAsync(keys.BufferKey, json.WrittenMemory, _core.Options.BufferTtl);
        _core.RememberWholeBuffer(keys.Buffer, json.WrittenSpan, stamp, candles);
        return ReturnWhenDoneAsync(set, json);
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static async Task ReturnWhenDoneAsync(Task<bool> command, PooledBufferWriter json)
    {
        try
        {
            await command.ConfigureAwait(false);
            json.Dispose();
        }
        catch
        {
            json.Abandon();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var lease = await _connection.GetDatabase().StringGetLeaseAsync(keys.CurrentKey).ConfigureAwait(false);
            return lease is null ? null : _core.DecodeSingle(keys.Current, lease.Span);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("load_current", keys.Current, ex);
        }
    }

    /// <inheritdoc/>
    public async Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var lease = await _connection.GetDatabase().StringGetLeaseAsync(keys.BufferKey).ConfigureAwait(false);
            return lease is null ? null : _core.DecodeArray(keys.Buffer, lease.Span);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("load_buffer", keys.Buffer, ex);
        }
    }

    /// <inheritdoc/>
    public async Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var subscriber = _connection.GetSubscriber();
        Action<RedisChannel, RedisValue> callback = (_, value) => _core.Dispatch(keys, ((ReadOnlyMemory<byte>)value).Span, handler);
        return await SubscribeAsync(subscriber, keys, callback).ConfigureAwait(false);
    }

    private async Task<IAsyncDisposable> SubscribeAsync(ISubscriber subscriber, Keys.ChartKeySet keys, Action<RedisChannel, RedisValue> callback)
    {
        try
        {
            await subscriber.SubscribeAsync(keys.RedisChannel, callback).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw _core.Fail("subscribe", keys.Channel, ex);
        }

        return new Subscription(async () =>
        {
            try
            {
                await subscriber.UnsubscribeAsync(keys.RedisChannel, callback).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFault(ex))
            {
                // The handler is removed locally either way; the server side goes with the connection.
                _core.Metrics.Error("unsubscribe");
                Log.OperationFailed(_core.Logger, "unsubscribe", keys.Channel, ex);
            }
        });
    }

    /// <inheritdoc/>
    public async Task<IAsyncDisposable> SubscribeJsonAsync(Symbol symbol, Timeframe timeframe, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var subscriber = _connection.GetSubscriber();
        Action<RedisChannel, RedisValue> callback = (_, value) => _core.DispatchJson(keys, (ReadOnlyMemory<byte>)value, handler);
        return await SubscribeAsync(subscriber, keys, callback).ConfigureAwait(false);
    }

    /// <summary>Detaches from the connection and closes it when the store created it.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        _connection.ConnectionFailed -= OnConnectionFailed;
        _connection.ConnectionRestored -= OnConnectionRestored;
        if (_ownsConnection)
        {
            await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            _connection.Dispose();
        }

        _core.Dispose();
    }

    private static bool IsStoreFault(Exception ex) => ex is RedisException or TimeoutException;

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionFailed(_core.Logger, e.EndPoint, e.FailureType, e.Exception);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionRestored(_core.Logger, e.EndPoint);
    }
}
