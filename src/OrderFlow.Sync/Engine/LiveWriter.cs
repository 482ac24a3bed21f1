using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Writes live keys at most once per interval per series: each changed series is queued once, and its newest state is
/// written when the writer gets to it and the interval has passed since its last write; a change that comes sooner
/// waits for the rest of the interval (a trailing write, never dropped). A slow or down store never holds up the feed
/// (only one pending write per series waits).
/// </summary>
/// <remarks>
/// A rewrite of unchanged keys (<see cref="RequeueRecent"/>, which restores keys a store lost) is paced the same way
/// but does not count as a write for the interval: a keep-alive never delays the next live change.
/// </remarks>
internal sealed class LiveWriter : IDisposable
{
    /// <summary><see cref="SyncSeries.LiveDirty"/>: the series changed; its write starts its interval.</summary>
    public const int Changed = 1;

    /// <summary><see cref="SyncSeries.LiveDirty"/>: only a rewrite of the unchanged state was asked for.</summary>
    public const int Refresh = 2;

    private readonly Channel<SyncSeries> _queue = Channel.CreateUnbounded<SyncSeries>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SyncState _state;
    private readonly IChartStore _store;
    private readonly SyncCounters _counters;
    private readonly TimeProvider _time;
    private readonly TimeSpan _liveTtl;
    private readonly TimeSpan _interval;
    private readonly Dictionary<SyncSeries, Pacing> _pacing = [];

    public LiveWriter(SyncState state, IChartStore store, SyncCounters counters, TimeProvider time, TimeSpan liveTtl, TimeSpan interval)
    {
        _state = state;
        _store = store;
        _counters = counters;
        _time = time;
        _liveTtl = liveTtl;
        _interval = interval;
        foreach (var s in state.Series)
        {
            // The timer only queues the series again: the write itself stays on the writer's one loop.
            var timer = time.CreateTimer(static o => ((Requeue)o!).Run(), new Requeue(_queue.Writer, s), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _pacing[s] = new Pacing(timer);
        }
    }

    /// <summary>Series whose newest live state waits to be written (for its interval or for the store).</summary>
    public int Pending
    {
        get
        {
            var n = 0;
            foreach (var s in _state.Series)
            {
                n += Volatile.Read(ref s.LiveDirty) == 0 ? 0 : 1;
            }

            return n;
        }
    }

    /// <summary>Series whose trailing write waits for their interval to pass (for tests).</summary>
    internal int Waiting => _pacing.Values.Count(p => Volatile.Read(ref p.Waiting));

    /// <summary>Queues a live change of the series (a series already queued for a refresh is marked changed instead).</summary>
    public void Enqueue(SyncSeries series)
    {
        if (Interlocked.Exchange(ref series.LiveDirty, Changed) == 0)
        {
            _queue.Writer.TryWrite(series);
        }
    }

    /// <summary>
    /// No more writes will be queued: <see cref="RunAsync"/> writes what is queued and every state still waiting for
    /// its interval, at once, then ends.
    /// </summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Queues every series changed within the live TTL again, so live keys a store lost (a restart) come back within
    /// one chart-sync interval even when the market is quiet. Under the lock.
    /// </summary>
    public void RequeueRecent()
    {
        foreach (var s in _state.Series)
        {
            if (s.LastLiveTimestamp != 0 && _time.GetElapsedTime(s.LastLiveTimestamp) < _liveTtl
                && Interlocked.CompareExchange(ref s.LiveDirty, Refresh, 0) == 0)
            {
                _queue.Writer.TryWrite(s);
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

            var pacing = _pacing[s];
            var wait = pacing.UntilDue(_time, _interval);
            if (wait > TimeSpan.Zero)
            {
                // It stays dirty while it waits, so the changes that come meanwhile coalesce into the one trailing
                // write, which takes the newest state. The timer is armed before the series is marked waiting, so
                // whoever sees the mark (a test advancing a fake clock) sees the timer set; if it fires first, the
                // write it queues clears the mark.
                pacing.Arm(wait);
                Volatile.Write(ref pacing.Waiting, true);
                continue;
            }

            if (!await WriteAsync(s, pacing, abort).ConfigureAwait(false))
            {
                return;
            }
        }

        // Stopping: the states still waiting for their interval are written now, not when it passes.
        foreach (var s in _state.Series)
        {
            if (Volatile.Read(ref s.LiveDirty) != 0 && !await WriteAsync(s, _pacing[s], abort).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        foreach (var pacing in _pacing.Values)
        {
            pacing.Timer.Dispose();
        }
    }

    /// <summary>Writes the series' newest state; false when aborted.</summary>
    private async Task<bool> WriteAsync(SyncSeries s, Pacing pacing, CancellationToken abort)
    {
        if (abort.IsCancellationRequested)
        {
            return false;
        }

        if (pacing.Waiting)
        {
            // Written before its timer fired (a stop): the timer has nothing left to queue.
            pacing.Disarm();
            Volatile.Write(ref pacing.Waiting, false);
        }

        var changed = Interlocked.Exchange(ref s.LiveDirty, 0) == Changed;
        Candle current;
        int count;
        lock (_state.Lock)
        {
            if (!s.Book.TryGetCurrent(s.Timeframe, out current))
            {
                return true;
            }

            // The copy is the writer's own: nothing else writes it while it is serialised below.
            count = s.Book.CopyLiveBuffer(s.Timeframe, s.WriterBuffer);
        }

        // The interval counts from the start of a write (a slow store does not stretch it), and only from a change's.
        if (changed)
        {
            pacing.LastWrite = _time.GetTimestamp();
        }

        try
        {
            await _store.SaveLiveAsync(s.Symbol, s.Timeframe, current, s.WriterBuffer.AsMemory(0, count), abort).ConfigureAwait(false);
            _counters.StoreSucceeded();
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // A store failure must never stop the writer: logged, counted, retried by the next update or chart sync.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _counters.StoreFailed("live", new SeriesKey(s.Symbol, s.Timeframe), ex);
        }

        return true;
    }

    /// <summary>The writer's pacing of one series: when it last wrote it, and the timer of its trailing write.</summary>
    private sealed class Pacing(ITimer timer)
    {
        /// <summary>True while a write waits for the interval to pass (set and cleared by the writer's loop).</summary>
        public bool Waiting;

        public ITimer Timer { get; } = timer;

        /// <summary>When the last write of a change started (a <see cref="TimeProvider"/> timestamp), 0 before the first.</summary>
        public long LastWrite { get; set; }

        /// <summary>How long until the series may be written again; zero or less when it may be now.</summary>
        public TimeSpan UntilDue(TimeProvider time, TimeSpan interval) =>
            LastWrite == 0 ? TimeSpan.Zero : interval - time.GetElapsedTime(LastWrite);

        public void Arm(TimeSpan wait) => Change(wait);

        public void Disarm() => Change(Timeout.InfiniteTimeSpan);

        private void Change(TimeSpan dueTime)
        {
            try
            {
                Timer.Change(dueTime, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // The engine was disposed while the writer was still stopping: nothing is queued any more.
            }
        }
    }

    /// <summary>The trailing write's timer callback: queues the series again (a completed queue ignores it; the stop writes it).</summary>
    private sealed class Requeue(ChannelWriter<SyncSeries> queue, SyncSeries series)
    {
        public void Run() => queue.TryWrite(series);
    }
}
