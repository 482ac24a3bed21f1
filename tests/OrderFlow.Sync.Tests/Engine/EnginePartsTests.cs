using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.Redis;
using OrderFlow.Sync.Diagnostics;
using OrderFlow.Sync.Engine;
using OrderFlow.Sync.Tests.Infrastructure;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>Each part of the engine alone, on a fake clock: no part waits for real time.</summary>
public sealed class EnginePartsTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LiveInterval = CandleSyncOptions.DefaultLiveWriteInterval;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SyncMetrics _metrics = new(null);
    private readonly CancellationTokenSource _stop = new();

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void BackfillGate_HoldsLiveCandlesBoundedUntilOpened_AndTimesOutOnTheClock()
    {
        var gate = new BackfillGate(_time);
        var state = State("1m");
        var now = Now;
        Assert.False(gate.TryDefer(Symbol.GC, Timeframe.OneMinute, At(now), bound: 3));

        gate.Close(state.Series);
        gate.Connected();
        for (var i = 5; i >= 0; i--)
        {
            gate.TryDefer(Symbol.GC, Timeframe.OneMinute, At(now + (60 * i)), bound: 3);
        }

        // The bound keeps the first three that came (memory stays bounded); a newer copy of a held one replaces it.
        Assert.True(gate.TryDefer(Symbol.GC, Timeframe.OneMinute, At(now + (60 * 5), volume: 9), bound: 3));
        Assert.True(gate.IsAwaiting(Symbol.GC, Timeframe.OneMinute));
        Assert.False(gate.TimedOut(TimeSpan.FromMinutes(2)));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(gate.TimedOut(TimeSpan.FromMinutes(2)));

        var held = gate.Open(Symbol.GC, Timeframe.OneMinute);
        Assert.Equal([now + 180, now + 240, now + 300], held.Select(c => c.OpenTime));
        Assert.Equal(9, held[^1].Volume);
        Assert.False(gate.IsAwaiting(Symbol.GC, Timeframe.OneMinute));
        Assert.Empty(gate.Open(Symbol.GC, Timeframe.OneMinute));
    }

    [Fact]
    public async Task HistorySchedule_AsksAgainEveryInterval_AndAtOnceForTheSeriesOfALiveGap()
    {
        var state = State("1m", "5m");
        var source = new FakeSource();
        using var schedule = new HistorySchedule(state, source, Options(), _time);
        var loop = schedule.RunAsync(_stop.Token);
        Assert.Empty(source.Subscriptions);

        _time.Advance(TimeSpan.FromMinutes(59));
        await Task.Yield();
        Assert.Empty(source.Subscriptions);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => Count(source) == 2, Generous, "hourly re-sync");

        // A gap named for one series asks for that series alone; a gap naming none, for all.
        schedule.RequestNow(Symbol.GC, Timeframe.FiveMinutes);
        await Eventually.HoldsAsync(() => Count(source) == 3, Generous, "early re-sync of the series with a gap");
        lock (source.Subscriptions)
        {
            Assert.Equal((Symbol.GC, Timeframe.FiveMinutes, 50_000), source.Subscriptions[^1]);
        }

        schedule.RequestNow(default, default);
        await Eventually.HoldsAsync(() => Count(source) == 5, Generous, "early re-sync of every series");
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task StoreResume_ReadsEveryChartAndBuffer_AndRetriesThoseTheStoreCouldNotAnswer()
    {
        var state = State("1m", "5m");
        var inner = new InMemoryChartStore(new ChartStoreOptions(), _time);
        var stored = Minutes(Now - 3600, 50);
        await inner.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, stored.AsMemory(0, 45));
        await inner.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, stored[^1], stored.AsMemory(40));
        var store = new FlakyReadStore(inner) { FailReads = true };
        var resume = new StoreResume(state, store, Counters(), NullLogger.Instance, _time);

        // The store is down: the pass stops at the first failure (one read, not one timeout per series).
        Assert.Equal(2, await resume.RestoreAsync(CancellationToken.None));
        Assert.Equal(1, store.FailedReads);
        Assert.False(state.Series[0].Restored);

        store.FailReads = false;
        Assert.Equal(0, await resume.RestoreAsync(CancellationToken.None));
        Assert.True(state.Series[0].Restored);
        Assert.True(state.Series[0].ChartPending);
        var chart = state.Series[0].Book.GetChart(Timeframe.OneMinute).ToArray();
        Assert.Equal(stored.Select(c => (c.OpenTime, c.Close, c.Volume)), chart.Select(c => (c.OpenTime, c.Close, c.Volume)));
    }

    [Fact]
    public async Task StoreResume_TakesTheNewestCandle_FromTheCurrentKey_WhenTheBufferLagsIt()
    {
        var state = State("1m");
        var store = new InMemoryChartStore(new ChartStoreOptions { BufferRefreshInterval = TimeSpan.FromSeconds(5) }, _time);
        var stored = Minutes(Now - 3600, 50);
        await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, stored.AsMemory(0, 45));
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, stored[^1], stored.AsMemory(40));

        // The newest minute moves on within the buffer's refresh interval: only the current key has it.
        var newest = Candle.Create(stored[^1].OpenTime, stored[^1].Open, stored[^1].High + 2, stored[^1].Low, stored[^1].High + 1, stored[^1].Volume + 7);
        var live = stored[40..];
        live[^1] = newest;
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, newest, live);
        Assert.NotEqual(newest, (await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute))![^1]);

        var resume = new StoreResume(state, store, Counters(), NullLogger.Instance, _time);
        Assert.Equal(0, await resume.RestoreAsync(CancellationToken.None));
        var chart = state.Series[0].Book.GetChart(Timeframe.OneMinute).ToArray();
        Assert.Equal(50, chart.Length);
        Assert.Equal((newest.OpenTime, newest.Close, newest.Volume), (chart[^1].OpenTime, chart[^1].Close, chart[^1].Volume));
    }

    [Fact]
    public async Task ChartWriter_WritesNothingUnread_ThenSavesChanges_AndOnlyTouchesUnchangedCharts()
    {
        var state = State("1m");
        var store = new CountingStore(new InMemoryChartStore(new ChartStoreOptions(), _time));
        using var writer = new ChartWriter(state, store, Counters(), Options(), _time);
        var series = state.Series[0];
        lock (state.Lock)
        {
            series.Book.ApplyHistory(Timeframe.OneMinute, Minutes(Now - 600, 10), _time.GetUtcNow());
            series.ChartPending = true;
        }

        var passes = 0;
        var loop = writer.RunAsync(_ => Task.CompletedTask, () => Interlocked.Increment(ref passes), _stop.Token);
        writer.Signal();
        _time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => Volatile.Read(ref passes) >= 1, Generous, "a full pass");
        Assert.Equal(0, store.ChartSaves);   // never read from the store: a save could replace a stored year

        lock (state.Lock)
        {
            series.Restored = true;
        }

        writer.Signal();
        await Eventually.HoldsAsync(() => store.ChartSaves == 1, Generous, "the pending chart saved on the signal");
        _time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => store.ChartTouches >= 1, Generous, "an unchanged chart touched");
        Assert.Equal(1, store.ChartSaves);
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task LiveWriter_SerialisesItsOwnCopy_WhileTheFeedChangesTheBook()
    {
        // The store holds the write open and reads the buffer only when released (as a slow serialiser would);
        // meanwhile the feed rewrites a held candle (a late tick). What is stored is the state at the copy, whole.
        var state = State("1m");
        var store = new GatedLiveStore();
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        var minutes = Minutes(Now - 600, 10);
        lock (state.Lock)
        {
            series.Book.ApplyHistory(Timeframe.OneMinute, minutes, _time.GetUtcNow());
        }

        Candle[] atCopy;
        lock (state.Lock)
        {
            atCopy = series.Book.GetChart(Timeframe.OneMinute).ToArray();
        }

        using var abort = new CancellationTokenSource();
        var run = Task.Run(() => writer.RunAsync(abort.Token));
        writer.Enqueue(series);
        await store.Entered.Task.WaitAsync(Generous);
        lock (state.Lock)
        {
            var late = minutes[^2];
            Assert.True(series.Book.ApplyTick(new Tick(((late.OpenTime + 30) * 1000) + 1, late.Close, 500), _time.GetUtcNow()).Applied);
        }

        store.Release.SetResult();
        var written = await store.Written.Task.WaitAsync(Generous);
        Assert.Equal(atCopy, written);
        lock (state.Lock)
        {
            Assert.NotEqual(atCopy[^2], series.Book.GetChart(Timeframe.OneMinute)[^2]);
        }

        writer.Complete();
        await run.WaitAsync(Generous);
    }

    [Fact]
    public async Task LiveWriter_QueuesASeriesOnce_AndWritesItsNewestState()
    {
        var state = State("1m");
        var store = new SlowStore(new InMemoryChartStore(new ChartStoreOptions(), _time), TimeSpan.Zero);
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        lock (state.Lock)
        {
            series.Book.ApplyHistory(Timeframe.OneMinute, Minutes(Now - 600, 5), _time.GetUtcNow());
        }

        for (var i = 0; i < 100; i++)
        {
            writer.Enqueue(series);
        }

        Assert.Equal(1, writer.Pending);
        writer.Complete();
        await writer.RunAsync(CancellationToken.None).WaitAsync(Generous);
        Assert.Equal(1, store.LiveWrites);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task LiveWriter_FiftyChangesWithinOneInterval_OneWriteAtOnce_AndOneTrailingWriteOfTheNewest()
    {
        var state = State("1m");
        var store = new RecordingLiveStore(new InMemoryChartStore(new ChartStoreOptions(), _time));
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        var run = Task.Run(() => writer.RunAsync(CancellationToken.None));

        // The first change of a quiet series is written at once.
        Change(state, writer, series, 0);
        await Eventually.HoldsAsync(() => store.Writes(Symbol.GC, Timeframe.OneMinute).Length == 1, Generous, "the first change written at once");

        // The other 49 come within the interval: they wait, coalesced, for the interval to pass.
        for (var i = 1; i < 50; i++)
        {
            Change(state, writer, series, i);
        }

        await Eventually.HoldsAsync(() => writer.Waiting == 1, Generous, "the trailing write waits for the interval");
        _time.Advance(LiveInterval - TimeSpan.FromTicks(1));
        Assert.Single(store.Writes(Symbol.GC, Timeframe.OneMinute));
        Assert.Equal(1, writer.Pending);

        _time.Advance(TimeSpan.FromTicks(1));
        await Eventually.HoldsAsync(() => store.Writes(Symbol.GC, Timeframe.OneMinute).Length == 2, Generous, "the trailing write once the interval passed");
        Assert.Equal(Current(state, series), store.Writes(Symbol.GC, Timeframe.OneMinute)[^1]);
        Assert.Equal(Current(state, series), await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));

        // Nothing was left behind: the stop has nothing more to write.
        writer.Complete();
        await run.WaitAsync(Generous);
        Assert.Equal(2, store.Writes(Symbol.GC, Timeframe.OneMinute).Length);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task LiveWriter_PacesEachSeriesOnItsOwnInterval()
    {
        var state = State("1m", "5m");
        var store = new RecordingLiveStore(new InMemoryChartStore(new ChartStoreOptions(), _time));
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var (one, five) = (state.Series[0], state.Series[1]);
        var half = LiveInterval / 2;
        var run = Task.Run(() => writer.RunAsync(CancellationToken.None));
        Change(state, writer, one, 0);
        await Eventually.HoldsAsync(() => Writes(store, one) == 1, Generous, "1m written at once");

        // Half an interval later, 5m's first change is written at once: 1m's write does not hold it back.
        _time.Advance(half);
        writer.Enqueue(five);
        await Eventually.HoldsAsync(() => Writes(store, five) == 1, Generous, "5m written at once");

        // Both change again: each waits for its own interval.
        Change(state, writer, one, 1);
        writer.Enqueue(five);
        await Eventually.HoldsAsync(() => writer.Waiting == 2, Generous, "both wait");
        _time.Advance(half);
        await Eventually.HoldsAsync(() => Writes(store, one) == 2, Generous, "1m's trailing write one interval after its first");
        Assert.Equal(1, Writes(store, five));
        Assert.Equal(1, writer.Waiting);

        _time.Advance(half);
        await Eventually.HoldsAsync(() => Writes(store, five) == 2, Generous, "5m's trailing write one interval after its first");
        Assert.Equal(Current(state, five), store.Writes(Symbol.GC, Timeframe.FiveMinutes)[^1]);
        writer.Complete();
        await run.WaitAsync(Generous);
    }

    [Fact]
    public async Task LiveWriter_Stop_WritesAChangeThatWaitsForItsInterval_WithoutWaiting()
    {
        var state = State("1m");
        var store = new RecordingLiveStore(new InMemoryChartStore(new ChartStoreOptions(), _time));
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        var run = Task.Run(() => writer.RunAsync(CancellationToken.None));
        Change(state, writer, series, 0);
        await Eventually.HoldsAsync(() => Writes(store, series) == 1, Generous, "the first change written at once");
        Change(state, writer, series, 1);
        await Eventually.HoldsAsync(() => writer.Waiting == 1, Generous, "the second waits for the interval");

        // The fake clock never moves: only the stop can write it.
        writer.Complete();
        await run.WaitAsync(Generous);
        Assert.Equal(2, Writes(store, series));
        Assert.Equal(Current(state, series), await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.Equal(0, writer.Pending);
        Assert.Equal(0, writer.Waiting);
    }

    [Fact]
    public async Task LiveWriter_AFailedWrite_NeverStopsThePacing()
    {
        var state = State("1m");
        var store = new RecordingLiveStore(new InMemoryChartStore(new ChartStoreOptions(), _time)) { FailLiveWrites = true };
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        var run = Task.Run(() => writer.RunAsync(CancellationToken.None));
        Change(state, writer, series, 0);
        await Eventually.HoldsAsync(() => Writes(store, series) == 1, Generous, "the first write tried");
        Change(state, writer, series, 1);
        await Eventually.HoldsAsync(() => writer.Waiting == 1, Generous, "the second waits for the interval");

        // The store is back: the trailing write comes when the interval has passed.
        store.FailLiveWrites = false;
        _time.Advance(LiveInterval);
        await Eventually.HoldsAsync(() => Writes(store, series) == 2, Generous, "the trailing write after a failed one");
        Assert.Equal(Current(state, series), await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
        writer.Complete();
        await run.WaitAsync(Generous);
    }

    [Fact]
    public async Task LiveWriter_TheRequeueOfRecentSeries_RewritesThem_AndNeverDelaysTheNextChange()
    {
        var state = State("1m");
        var store = new RecordingLiveStore(new InMemoryChartStore(new ChartStoreOptions(), _time));
        using var writer = new LiveWriter(state, store, Counters(), _time, TimeSpan.FromMinutes(2), LiveInterval);
        var series = state.Series[0];
        var run = Task.Run(() => writer.RunAsync(CancellationToken.None));
        Change(state, writer, series, 0);
        await Eventually.HoldsAsync(() => Writes(store, series) == 1, Generous, "the change written at once");

        // A quiet market: the chart sync's requeue writes the recent series again (keys a store lost come back).
        _time.Advance(TimeSpan.FromSeconds(30));
        Requeue(state, writer);
        await Eventually.HoldsAsync(() => Writes(store, series) == 2, Generous, "rewritten by the requeue");

        // That rewrite of unchanged keys does not start an interval: the next change is written at once.
        Change(state, writer, series, 1);
        await Eventually.HoldsAsync(() => Writes(store, series) == 3, Generous, "the change after a rewrite written at once");

        // A change does: the next one waits, and a requeue meanwhile adds no write.
        Change(state, writer, series, 2);
        await Eventually.HoldsAsync(() => writer.Waiting == 1, Generous, "the next change waits for the interval");
        Requeue(state, writer);
        Assert.Equal(1, writer.Pending);
        _time.Advance(LiveInterval);
        await Eventually.HoldsAsync(() => Writes(store, series) == 4, Generous, "the trailing write");
        Assert.Equal(Current(state, series), store.Writes(Symbol.GC, Timeframe.OneMinute)[^1]);
        writer.Complete();
        await run.WaitAsync(Generous);
        Assert.Equal(4, Writes(store, series));
    }

    private static int Count(FakeSource source)
    {
        lock (source.Subscriptions)
        {
            return source.Subscriptions.Count;
        }
    }

    /// <summary>A live change of the series, as the feed makes it: a tick in the minute after its history, then queued.</summary>
    private void Change(SyncState state, LiveWriter writer, SyncSeries series, int i)
    {
        lock (state.Lock)
        {
            if (!series.Book.TryGetCurrent(series.Timeframe, out _))
            {
                series.Book.ApplyHistory(Timeframe.OneMinute, Minutes(Now - 600, 5), _time.GetUtcNow());
            }

            var minute = Timeframe.OneMinute.Floor(Now - 600) + 300;
            Assert.True(series.Book.ApplyTick(new Tick(((minute + i) * 1000) + 1, 2000.5 + (i * 0.01), 1), _time.GetUtcNow()).Applied);
            series.LastLiveTimestamp = _time.GetTimestamp();
        }

        writer.Enqueue(series);
    }

    private static void Requeue(SyncState state, LiveWriter writer)
    {
        lock (state.Lock)
        {
            writer.RequeueRecent();
        }
    }

    private static Candle Current(SyncState state, SyncSeries series)
    {
        lock (state.Lock)
        {
            Assert.True(series.Book.TryGetCurrent(series.Timeframe, out var current));
            return current;
        }
    }

    private static int Writes(RecordingLiveStore store, SyncSeries series) => store.Writes(series.Symbol, series.Timeframe).Length;

    private static CandleSyncOptions Options(params string[] timeframes)
    {
        var options = new CandleSyncOptions();
        options.Symbols.Add("GC");
        foreach (var tf in timeframes.Length == 0 ? ["1m"] : timeframes)
        {
            options.Timeframes.Add(tf);
        }

        return options;
    }

    private static SyncState State(params string[] timeframes) => new(Options(timeframes), CandleRuleBook.Default);

    private SyncCounters Counters() => new(_metrics, NullLogger.Instance, _time);

    private static Candle At(long time, double volume = 1) => Candle.Create(Timeframe.OneMinute.Floor(time), 2000, 2001, 1999, 2000, volume);

    private static Candle[] Minutes(long from, int count)
    {
        from = Timeframe.OneMinute.Floor(from);
        var result = new Candle[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Candle.Create(from + (60 * i), 2000 + (i * 0.1), 2000.5 + (i * 0.1), 1999.9 + (i * 0.1), 2000.1 + (i * 0.1), 10 + i);
        }

        return result;
    }
}
