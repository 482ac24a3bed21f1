using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Redis.Diagnostics;
using OrderFlow.Redis.InPlace;

namespace OrderFlow.Redis;

/// <summary>
/// An in-process <see cref="IChartStore"/> with the same keys, JSON values, TTL semantics and pub/sub as
/// <see cref="RedisChartStore"/>: for tests, demos and single-process deployments. Expiry follows the injected
/// <see cref="TimeProvider"/>; updates are delivered to subscribers synchronously, before
/// <see cref="SaveLiveAsync"/> returns.
/// </summary>
/// <remarks>Thread-safe. Never throws <see cref="ChartStoreException"/>.</remarks>
public sealed class InMemoryChartStore : IChartStore, IDisposable
{
    private readonly StoreCore _core;
    private readonly Dictionary<string, Entry> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableArray<Action<ReadOnlyMemory<byte>>>> _subscribers =
        ImmutableDictionary.Create<string, ImmutableArray<Action<ReadOnlyMemory<byte>>>>(StringComparer.Ordinal);

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">The options; <see cref="ChartStoreOptions.Configuration"/> is ignored. Null for the defaults.</param>
    /// <param name="timeProvider">The clock that drives expiry; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; null for none.</param>
    /// <param name="meterFactory">Creates the <c>OrderFlow.Redis</c> meter; null for an unshared meter.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public InMemoryChartStore(ChartStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<InMemoryChartStore>? logger = null, IMeterFactory? meterFactory = null)
    {
        _core = new StoreCore(options ?? new ChartStoreOptions(), requireConfiguration: false, logger, meterFactory, timeProvider);
    }

    /// <inheritdoc/>
    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        var stamp = WriteStamp.Next();
        using var json = StoreCore.SerializeValue(candles.Span, stamp);
        var hash = StoreCore.HashContent(json.WrittenSpan);
        var now = _core.Time.GetUtcNow();
        bool written;
        lock (_gate)
        {
            if (_core.IsUnchanged(keys.Chart, hash) && TryGetMine(keys.Chart, now, out var existing))
            {
                _values[keys.Chart] = existing with { ExpiresAt = now + _core.Options.ChartTtl };
                written = false;
            }
            else
            {
                var value = json.ToArray();
                _values[keys.Chart] = new Entry(value, now + _core.Options.ChartTtl, StoreCore.Hash(value));
                _core.RememberWhole(keys.Chart, hash, value, stamp);
                written = true;
            }
        }

        _core.Metrics.Write("chart", written, _core.Time.GetElapsedTime(start));
        return Task.FromResult(written);
    }

    /// <inheritdoc/>
    public Task<bool> SaveChartChangesAsync(Symbol symbol, Timeframe timeframe, ChartChanges changes, ReadOnlyMemory<Candle> tail, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        using var edit = _core.PlanChart(keys.Chart, changes, tail.Span);
        if (edit is null || !TryApply(keys.Chart, edit, _core.Options.ChartTtl))
        {
            return Task.FromResult(false);
        }

        _core.Applied(keys.Chart, edit);
        _core.Metrics.Write("chart", written: true, _core.Time.GetElapsedTime(start));
        return Task.FromResult(true);
    }

    /// <inheritdoc/>
    public Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _core.Time.GetUtcNow();
        lock (_gate)
        {
            if (TryGetMine(keys.Chart, now, out var existing))
            {
                _values[keys.Chart] = existing with { ExpiresAt = now + _core.Options.ChartTtl };
                return Task.FromResult(true);
            }
        }

        _core.Forget(keys.Chart);
        return Task.FromResult(false);
    }

    /// <inheritdoc/>
    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Get(keys.Chart) is { } bytes ? _core.DecodeArray(keys.Chart, bytes) : null);
    }

    /// <inheritdoc/>
    /// <remarks>The stored array itself (values are replaced whole, never changed) and the hash computed on save: no copy, no hashing.</remarks>
    public Task<StoredChart?> LoadChartJsonAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry;
        lock (_gate)
        {
            if (!TryGet(keys.Chart, _core.Time.GetUtcNow(), out entry))
            {
                return Task.FromResult<StoredChart?>(null);
            }
        }

        return Task.FromResult(_core.CheckChart(keys.Chart, entry.Value, entry.Version));
    }

    /// <inheritdoc/>
    public Task<bool> ChartExistsAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(TryGet(keys.Chart, _core.Time.GetUtcNow(), out _));
        }
    }

    /// <inheritdoc/>
    public Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _core.Time.GetTimestamp();
        using var currentJson = StoreCore.SerializeObject(current);
        var candles = _core.CapBuffer(buffer).Span;
        var payload = currentJson.ToArray();
        var now = _core.Time.GetUtcNow();
        lock (_gate)
        {
            _values[keys.Current] = new Entry(payload, now + _core.Options.CurrentTtl, default);
        }

        using (var edit = _core.PlanBuffer(keys.Buffer, candles, out var skipBuffer))
        {
            if (skipBuffer)
            {
                // Only the newest candle changed, within the refresh interval: the current key has it.
            }
            else if (edit is not null && TryApply(keys.Buffer, edit, _core.Options.BufferTtl))
            {
                _core.Applied(keys.Buffer, edit, candles);
            }
            else
            {
                var stamp = WriteStamp.Next();
                using var json = StoreCore.SerializeValue(candles, stamp);
                lock (_gate)
                {
                    _values[keys.Buffer] = new Entry(json.ToArray(), now + _core.Options.BufferTtl, default);
                }

                _core.RememberWholeBuffer(keys.Buffer, json.WrittenSpan, stamp, candles);
            }
        }

        _core.Metrics.Write("live", written: true, _core.Time.GetElapsedTime(start));
        if (_subscribers.TryGetValue(keys.Channel, out var handlers))
        {
            foreach (var handler in handlers)
            {
                handler(payload);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Get(keys.Current) is { } bytes ? _core.DecodeSingle(keys.Current, bytes) : null);
    }

    /// <inheritdoc/>
    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Get(keys.Buffer) is { } bytes ? _core.DecodeArray(keys.Buffer, bytes) : null);
    }

    /// <inheritdoc/>
    public Task<IAsyncDisposable> SubscribeJsonAsync(Symbol symbol, Timeframe timeframe, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IAsyncDisposable>(Subscribe(keys, payload => _core.DispatchJson(keys, payload, handler)));
    }

    /// <inheritdoc/>
    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var keys = _core.Keys.Get(symbol, timeframe);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IAsyncDisposable>(Subscribe(keys, payload => _core.Dispatch(keys, payload.Span, handler)));
    }

    private Subscription Subscribe(Keys.ChartKeySet keys, Action<ReadOnlyMemory<byte>> callback)
    {
        ImmutableInterlocked.AddOrUpdate(ref _subscribers, keys.Channel, [callback], (_, list) => list.Add(callback));
        return new Subscription(() =>
            ImmutableInterlocked.AddOrUpdate(ref _subscribers, keys.Channel, [], (_, list) => list.Remove(callback)));
    }

    /// <summary>Disposes the store's meter when it owns one.</summary>
    public void Dispose() => _core.Dispose();

    /// <summary>The raw stored value of a key and its expiry time, for tests.</summary>
    internal bool TryGetRaw(string key, out byte[] value, out DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            if (TryGet(key, _core.Time.GetUtcNow(), out var entry))
            {
                (value, expiresAt) = (entry.Value, entry.ExpiresAt);
                return true;
            }
        }

        (value, expiresAt) = ([], default);
        return false;
    }

    /// <summary>Replaces the raw stored value of a key, for tests (e.g. corrupt data).</summary>
    internal void SetRaw(string key, byte[] value, TimeSpan ttl)
    {
        lock (_gate)
        {
            _values[key] = new Entry(value, _core.Time.GetUtcNow() + ttl, StoreCore.Hash(value));
        }
    }

    /// <summary>Deletes a key, for tests (e.g. a restarted Redis).</summary>
    internal void RemoveRaw(string key)
    {
        lock (_gate)
        {
            _values.Remove(key);
        }
    }

    // Caller holds _gate. The key's value when it is still what this store last wrote (its length and stamp).
    private bool TryGetMine(string key, DateTimeOffset now, out Entry entry) =>
        TryGet(key, now, out entry) && _core.TryGetLayout(key, out var layout) && layout.Describes(entry.Value);

    // What the Redis store's script does: the edit, only when the key holds the value it was planned on.
    private bool TryApply(string key, ArrayEdit edit, TimeSpan ttl)
    {
        var now = _core.Time.GetUtcNow();
        lock (_gate)
        {
            if (TryGet(key, now, out var entry) && edit.ApplyTo(entry.Value) is { } value)
            {
                _values[key] = new Entry(value, now + ttl, StoreCore.Hash(value));
                return true;
            }
        }

        Log.InPlaceRefused(_core.Logger, key);
        return false;
    }

    private byte[]? Get(string key)
    {
        lock (_gate)
        {
            return TryGet(key, _core.Time.GetUtcNow(), out var entry) ? entry.Value : null;
        }
    }

    // Caller holds _gate. Expired entries are removed when touched, as Redis does lazily.
    private bool TryGet(string key, DateTimeOffset now, out Entry entry)
    {
        if (_values.TryGetValue(key, out entry))
        {
            if (entry.ExpiresAt > now)
            {
                return true;
            }

            _values.Remove(key);
        }

        entry = default;
        return false;
    }

    // Version: the XxHash128 of Value, kept for charts (computed once, on save) and raw test values; unused otherwise.
    private readonly record struct Entry(byte[] Value, DateTimeOffset ExpiresAt, UInt128 Version);
}
