using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The <c>/api/live</c> answer per series, shared by every request for that series: the store is read (current candle
/// and buffer) at most once per <see cref="ChartServerOptions.LiveCacheDuration"/>, and concurrent requests share one
/// read. A failed read is not kept: the next request reads again.
/// </summary>
internal sealed class LiveResponseCache
{
    // Far fewer series than requests: a (symbol, timeframe) is validated against the allowed set before it gets here.
    private readonly ConcurrentDictionary<SeriesKey, Slot> _slots = new();
    private readonly IChartStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _freshFor;
    private long _storeReads;

    public LiveResponseCache(IChartStore store, TimeProvider time, IOptions<ChartServerOptions> options)
    {
        _store = store;
        _time = time;
        _freshFor = options.Value.LiveCacheDuration;
    }

    /// <summary>How many times the store has been read (for tests and diagnostics).</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    /// <summary>The live JSON of a series, or null when the store has no live data for it.</summary>
    /// <exception cref="ChartStoreException">The store could not be read.</exception>
    public Task<ReadOnlyMemory<byte>?> GetAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        var now = _time.GetTimestamp();
        Task<ReadOnlyMemory<byte>?> read;
        lock (slot)
        {
            var fresh = _time.GetElapsedTime(slot.ReadAt, now) < _freshFor;
            if (slot.Read is null || (slot.Read.IsCompleted && (!fresh || !slot.Read.IsCompletedSuccessfully)))
            {
                slot.ReadAt = now;
                slot.Read = ReadAsync(key);
            }

            read = slot.Read;
        }

        // A shared read is never cancelled by one request: only this request stops waiting.
        return read.WaitAsync(cancellationToken);
    }

    private async Task<ReadOnlyMemory<byte>?> ReadAsync(SeriesKey key)
    {
        await Task.Yield();
        Interlocked.Increment(ref _storeReads);
        var currentTask = _store.LoadCurrentAsync(key.Symbol, key.Timeframe, CancellationToken.None);
        var buffer = await _store.LoadBufferAsync(key.Symbol, key.Timeframe, CancellationToken.None).ConfigureAwait(false);
        var current = await currentTask.ConfigureAwait(false);
        if (current is null && (buffer is null || buffer.Length == 0))
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(((buffer?.Length ?? 0) + 1) * 96 + 64);
        ApiJson.WriteLive(output, key, current, buffer);
        return output.WrittenMemory;
    }

    private sealed class Slot
    {
        public Task<ReadOnlyMemory<byte>?>? Read { get; set; }

        public long ReadAt { get; set; }
    }
}
