using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The 1-year series as sent, per series: read from the store (as stored bytes, never parsed) at most once per
/// <see cref="ChartServerOptions.ChartCacheDuration"/> however many requests arrive (concurrent requests share one
/// read), and kept as the same <see cref="ChartPayload"/> (same ETag, same compressed bytes) while the content is
/// unchanged. Series nobody asks for are released after <see cref="ChartServerOptions.ChartCacheIdleTimeout"/>.
/// </summary>
internal sealed class ChartResponseCache : IDisposable
{
    private readonly IChartStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _freshFor;
    private readonly TimeSpan _idleTimeout;
    private readonly ConcurrentDictionary<SeriesKey, Slot> _slots = new();
    private readonly ITimer _sweeper;
    private long _storeReads;

    private readonly ChartServerMetrics? _metrics;
    private readonly ILogger _logger;

    public ChartResponseCache(IChartStore store, TimeProvider time, IOptions<ChartServerOptions> options, ChartServerMetrics? metrics = null, ILogger<ChartResponseCache>? logger = null)
    {
        _metrics = metrics;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _store = store;
        _time = time;
        _freshFor = options.Value.ChartCacheDuration;
        _idleTimeout = options.Value.ChartCacheIdleTimeout;
        var sweep = _idleTimeout < TimeSpan.FromMinutes(1) ? _idleTimeout : TimeSpan.FromMinutes(1);
        _sweeper = time.CreateTimer(static state => ((ChartResponseCache)state!).Sweep(), this, sweep, sweep);
    }

    /// <summary>How many times the store has been read (for tests and diagnostics).</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    /// <summary>The series as it stands, or null when the store has none.</summary>
    /// <exception cref="ChartStoreException">The store could not be read.</exception>
    /// <exception cref="ChartCorruptException">The stored chart cannot be sent (kept, like a payload, until it changes).</exception>
    public Task<ChartPayload?> GetAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        var now = _time.GetTimestamp();
        Task<ChartPayload?> read;
        lock (slot)
        {
            slot.LastUsed = now;
            // A corrupt verdict is kept like a payload: a corrupt chart is not re-read (or re-checked) per request.
            if (slot.Read is { IsCompleted: true } done && (done.IsCompletedSuccessfully || Corrupt(done) is not null) && _time.GetElapsedTime(slot.ReadAt, now) < _freshFor)
            {
                return done;
            }

            if (slot.Read is null || slot.Read.IsCompleted)
            {
                // The previous payload (or verdict) is kept to be reused when the content has not changed.
                var previous = slot.Read is { IsCompletedSuccessfully: true } last ? last.Result : null;
                var corrupt = slot.Read is { } failed ? Corrupt(failed) : null;
                slot.ReadAt = now;
                slot.Read = ReadAsync(key, previous, corrupt);
            }

            read = slot.Read;
        }

        // A shared read is never cancelled by one request: only this request stops waiting.
        return read.WaitAsync(cancellationToken);
    }

    public void Dispose() => _sweeper.Dispose();

    private static ChartCorruptException? Corrupt(Task read) =>
        read.IsFaulted && read.Exception?.InnerException is ChartCorruptException corrupt ? corrupt : null;

    private async Task<ChartPayload?> ReadAsync(SeriesKey key, ChartPayload? previous, ChartCorruptException? corrupt)
    {
        await Task.Yield();
        Interlocked.Increment(ref _storeReads);
        var chart = await _store.LoadChartJsonAsync(key.Symbol, key.Timeframe, CancellationToken.None).ConfigureAwait(false);
        if (chart is null)
        {
            // Null is a missing key or a value the store refused as not an array: only the second is the store's fault.
            if (await _store.ChartExistsAsync(key.Symbol, key.Timeframe, CancellationToken.None).ConfigureAwait(false))
            {
                throw corrupt is { Version: null } ? corrupt : Detected(key, "shape", null);
            }

            return null;
        }

        if (chart.IsEmpty)
        {
            return null;
        }

        // "Has it changed?" was answered by the store's version: same version, same bytes, same payload (and the
        // compressed bodies already made for it), or the same verdict.
        if (previous is not null && previous.Chart.Version == chart.Version)
        {
            return previous;
        }

        if (corrupt is not null && corrupt.Version == chart.Version)
        {
            throw corrupt;
        }

        // Checked once per version, here, so requests are served bytes that are known to draw.
        if (StoredChartCheck.Check(chart.Json.Span) is { } reason)
        {
            throw Detected(key, reason, chart.Version);
        }

        return new ChartPayload(key, chart);
    }

    private ChartCorruptException Detected(SeriesKey key, string reason, UInt128? version)
    {
        Log.ChartCorrupt(_logger, ChartCorruptException.StoreKey(key), reason);
        return new ChartCorruptException(key, reason, version);
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (key, slot) in _slots)
        {
            lock (slot)
            {
                if (_time.GetElapsedTime(slot.LastUsed, now) > _idleTimeout && slot.Read is not { IsCompleted: false })
                {
                    _slots.TryRemove(new KeyValuePair<SeriesKey, Slot>(key, slot));
                }
            }
        }
    }

    private sealed class Slot
    {
        public Task<ChartPayload?>? Read { get; set; }

        public long ReadAt { get; set; }

        public long LastUsed { get; set; }
    }
}
