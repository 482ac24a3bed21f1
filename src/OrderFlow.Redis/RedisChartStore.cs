using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Redis.Diagnostics;
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
        using var json = StoreCore.SerializeArray(candles.Span);
        var hash = StoreCore.Hash(json.WrittenSpan);
        var db = _connection.GetDatabase();
        try
        {
            // Unchanged since our last write: refresh the TTL only. EXPIRE answers false when the key is gone (expired,
            // deleted, Redis restarted), and then the value is written again.
            var written = !(_core.IsUnchanged(keys.Chart, hash) && await db.KeyExpireAsync(keys.ChartKey, _core.Options.ChartTtl).ConfigureAwait(false));
            if (written)
            {
                await db.StringSetAsync(keys.ChartKey, json.WrittenMemory, _core.Options.ChartTtl).ConfigureAwait(false);
                _core.Remember(keys.Chart, hash);
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
            // EXPIRE answers false when the key is gone; then it must be written again, so forget what we wrote.
            var touched = await _connection.GetDatabase().KeyExpireAsync(keys.ChartKey, _core.Options.ChartTtl).ConfigureAwait(false);
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
    public async Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        using var currentJson = StoreCore.SerializeObject(current);
        using var bufferJson = StoreCore.SerializeArray(_core.CapBuffer(buffer).Span);
        try
        {
            // One round trip: both SETs and the PUBLISH are flushed together. Not a transaction (MULTI needs one slot).
            var batch = _connection.GetDatabase().CreateBatch();
            var setCurrent = batch.StringSetAsync(keys.CurrentKey, currentJson.WrittenMemory, _core.Options.CurrentTtl);
            var setBuffer = batch.StringSetAsync(keys.BufferKey, bufferJson.WrittenMemory, _core.Options.BufferTtl);
            var publish = batch.PublishAsync(keys.RedisChannel, currentJson.WrittenMemory);
            batch.Execute();

            // WhenAll observes every failure, so none is left unobserved. The pooled buffers go back to the pool only
            // after success: a command that timed out might still be read by the client, so those are abandoned.
            await Task.WhenAll(setCurrent, setBuffer, publish).ConfigureAwait(false);
            _core.Metrics.Write("live", written: true, _core.Time.GetElapsedTime(start));
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            currentJson.Abandon();
            bufferJson.Abandon();
            throw _core.Fail("save_live", keys.Current, ex);
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
