using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Writes live keys: each changed series is queued once, and its newest state is written when the writer gets to
/// it, so a slow or down store never holds up the feed (only one pending write per series waits).
/// </summary>
internal sealed class LiveWriter(SyncState state, IChartStore store, SyncCounters counters, TimeProvider time, TimeSpan liveTtl)
{
    private readonly Channel<SyncSeries> _queue = Channel.CreateUnbounded<SyncSeries>(new UnboundedChannelOptions { SingleReader = true });

    public int Pending
    {
        get
        {
            var n = 0;
            foreach (var s in state.Series)
            {
                n += Volatile.Read(ref s.LiveDirty);
            }

            return n;
        }
    }

    public void Enqueue(SyncSeries series)
    {
        if (Interlocked.Exchange(ref series.LiveDirty, 1) == 0)
        {
            _queue.Writer.TryWrite(series);
        }
    }

    /// <summary>No more writes will be queued: <see cref="RunAsync"/> ends once the queue is written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Queues every series changed within the live TTL again, so live keys a store lost (a restart) come back within
    /// one chart-sync interval even when the market is quiet. Under the lock.
    /// </summary>
    public void RequeueRecent()
    {
        foreach (var s in state.Series)
        {
            if (s.LastLiveTimestamp != 0 && time.GetElapsedTime(s.LastLiveTimestamp) < liveTtl)
            {
                Enqueue(s);
            }
        }
    }

    public async Task RunAsync(CancellationToken abort)
    {
        await foreach (var s in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (abort.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Exchange(ref s.LiveDirty, 0);
            Candle current;
            int count;
            lock (state.Lock)
            {
                if (!s.Book.TryGetCurrent(s.Timeframe, out current))
                {
                    continue;
                }

                // The copy is the writer's own: nothing else writes it while it is serialised below.
                count = s.Book.CopyLiveBuffer(s.Timeframe, s.WriterBuffer);
            }

            try
            {
                await store.SaveLiveAsync(s.Symbol, s.Timeframe, current, s.WriterBuffer.AsMemory(0, count), abort).ConfigureAwait(false);
                counters.StoreSucceeded();
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store failure must never stop the writer: logged, counted, retried by the next update or chart sync.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                counters.StoreFailed("live", new SeriesKey(s.Symbol, s.Timeframe), ex);
            }
        }
    }
}
