using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Sync.Tests.Infrastructure;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>The engine's pieces, driven event by event through a fake source and the in-memory store.</summary>
public sealed class CandleSyncEngineTests
{
    private static readonly long Start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86_400 * 86_400 - 86_400;

    private static Candle[] Minutes(long from, int count, double price = 2000)
    {
        var result = new Candle[count];
        for (var i = 0; i < count; i++)
        {
            var open = price + (i % 7 * 0.1);
            var close = price + ((i + 1) % 7 * 0.1);
            result[i] = Candle.Create(from + (60 * i), open, Math.Max(open, close) + 0.2, Math.Min(open, close) - 0.2, close, 10 + i);
        }

        return result;
    }

    private static (CandleSyncEngine Engine, FakeSource Source, IChartStore Store) Create(IChartStore? store = null, params string[] timeframes) =>
        Create(store, null, timeframes);

    private static (CandleSyncEngine Engine, FakeSource Source, IChartStore Store) Create(IChartStore? store, Action<CandleSyncOptions>? configure, params string[] timeframes) =>
        Create(store, configure, null, timeframes);

    private static (CandleSyncEngine Engine, FakeSource Source, IChartStore Store) Create(IChartStore? store, Action<CandleSyncOptions>? configure, LogSink? logs, params string[] timeframes)
    {
        var options = new CandleSyncOptions { ChartSyncInterval = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        options.Symbols.Add("GC");
        foreach (var tf in timeframes.Length == 0 ? ["1m", "5m", "1h"] : timeframes)
        {
            options.Timeframes.Add(tf);
        }

        var source = new FakeSource();
        store ??= new InMemoryChartStore(new ChartStoreOptions());
        return (new CandleSyncEngine(source, store, options, CandleRuleBook.Default, logs?.CreateLogger("engine")), source, store);
    }

    [Fact]
    public async Task LiveOneMinute_IsAggregatedIntoCoarserTimeframes_AndMergedIntoTheirCharts()
    {
        var (engine, source, store) = Create();
        await engine.StartAsync(CancellationToken.None);
        var history = Minutes(Start, 1440);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.FiveMinutes, CandleAssert.NaiveResample(history, Timeframe.FiveMinutes), 0, false));
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneHour, CandleAssert.NaiveResample(history, Timeframe.OneHour), 0, false));
        var live = Minutes(Start + (1440 * 60), 7, history[^1].Close);
        foreach (var c in live)
        {
            source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, c));
        }

        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length == 1447, TimeSpan.FromSeconds(10), "live minutes merged");
        var fine = engine.GetChart(Symbol.GC, Timeframe.OneMinute);
        foreach (var tf in new[] { Timeframe.FiveMinutes, Timeframe.OneHour })
        {
            Assert.Equal(CandleAssert.NaiveResample(fine, tf), engine.GetChart(Symbol.GC, tf));
        }

        await Eventually.HoldsAsync(async () => await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneHour) is { } c && c.Close == live[^1].Close, TimeSpan.FromSeconds(10), "1h live key");
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task AnUnchangedChart_IsKeptAliveWithATouch_NotSerialisedAgain()
    {
        var store = new CountingStore(new InMemoryChartStore(new ChartStoreOptions()));
        var (engine, source, _) = Create(store, "1m");
        await engine.StartAsync(CancellationToken.None);
        var history = Minutes(Start, 600);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));
        await Eventually.HoldsAsync(async () => await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) is { Length: 600 }, TimeSpan.FromSeconds(10), "chart stored");

        // Several 200 ms chart-sync intervals with nothing new: touches only.
        await Eventually.HoldsAsync(() => store.ChartTouches >= 3, TimeSpan.FromSeconds(10), "three touches");
        Assert.Equal(1, store.ChartSaves);

        // A change is saved again, once; then touches resume.
        source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Minutes(Start + (600 * 60), 1, history[^1].Close)[0]));
        await Eventually.HoldsAsync(async () => await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) is { Length: 601 }, TimeSpan.FromSeconds(10), "change saved");
        var touches = store.ChartTouches;
        await Eventually.HoldsAsync(() => store.ChartTouches >= touches + 2, TimeSpan.FromSeconds(10), "touches resume");
        Assert.Equal(2, store.ChartSaves);
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task DirectCoarseStream_WinsOverAggregationForItsBuckets()
    {
        var (engine, source, _) = Create(null, "1m", "5m");
        await engine.StartAsync(CancellationToken.None);
        var history = Minutes(Start, 60);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.FiveMinutes, CandleAssert.NaiveResample(history, Timeframe.FiveMinutes), 0, false));
        var bucket = Start + 3600;
        var direct = Candle.Create(bucket, history[^1].Close, history[^1].Close + 1, history[^1].Close - 1, history[^1].Close + 0.5, 999);
        source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.FiveMinutes, direct));
        source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(bucket + 60, history[^1].Close, history[^1].Close + 0.2, history[^1].Close - 0.2, history[^1].Close, 1)));
        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute) is { Length: > 0 } c && c[^1].OpenTime == bucket + 60, TimeSpan.FromSeconds(10), "1m applied");
        Assert.Equal(999, engine.GetChart(Symbol.GC, Timeframe.FiveMinutes)[^1].Volume);
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task AfterADisconnect_LiveCandlesWaitForTheBackfill_ThenTheChartHasNoHole()
    {
        var (engine, source, _) = Create(null, "1m");
        await engine.StartAsync(CancellationToken.None);
        var all = Minutes(Start, 100);
        source.Write(MarketDataEvent.ForConnection(SourceConnectionState.Connected));
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[..50], 0, false));
        source.Write(MarketDataEvent.ForConnection(SourceConnectionState.Disconnected, "test"));
        source.Write(MarketDataEvent.ForConnection(SourceConnectionState.Connected));

        // Live minutes 90..99 arrive before the backfill of 50..89: they wait.
        foreach (var c in all[90..])
        {
            source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, c));
        }

        await Eventually.HoldsAsync(() => engine.Status.AwaitingBackfill == 1 && engine.Status.Messages >= 14, TimeSpan.FromSeconds(10), "live deferred");
        Assert.Equal(50, engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[45..92], 0, true));
        source.Write(MarketDataEvent.ForConnection(SourceConnectionState.Backfilled));
        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length == 100, TimeSpan.FromSeconds(10), "backfilled and resumed");
        Assert.Equal(all.Select(c => c.OpenTime), engine.GetChart(Symbol.GC, Timeframe.OneMinute).Select(c => c.OpenTime));
        Assert.Equal(1, engine.Status.Reconnects);
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task AHungStore_NeverHoldsUpTheFeedReader_LiveWritesCoalesce()
    {
        // The store's live writes hang until released: if the feed reader waited for the store, the ticks could
        // never all be handled. No duration is measured; only what happens while the store hangs.
        var store = new GatedLiveStore();

        // No periodic pass during the test: it would queue live writes again (to restore keys a store lost).
        var (engine, source, _) = Create(store, o => o.ChartSyncInterval = TimeSpan.FromHours(1), "1m", "5m", "1h");
        await engine.StartAsync(CancellationToken.None);
        var history = Minutes(Start, 1440);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));
        var price = history[^1].Close;
        var t0 = (Start + (1440 * 60)) * 1000;
        const int ticks = 20_000;
        for (var i = 0; i < ticks; i++)
        {
            source.Write(MarketDataEvent.ForTick(Symbol.GC, new Tick(t0 + (i * 10), price + (i % 5 * 0.1), 1)));
        }

        await Eventually.HoldsAsync(() => engine.Status.Messages >= ticks + 1, TimeSpan.FromSeconds(60), "every tick handled while the store hangs");
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, store.LiveWrites);
        Assert.True(engine.Status.PendingLiveWrites <= 3, $"{engine.Status.PendingLiveWrites} series pending");

        // Released, the writer writes each waiting series once, with its newest state.
        store.Release.SetResult();
        await Eventually.HoldsAsync(async () => await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.Close == price + ((ticks - 1) % 5 * 0.1), TimeSpan.FromSeconds(60), "newest state written");
        // The one in flight, then each of the three series once.
        Assert.True(store.LiveWrites <= 4, $"{store.LiveWrites} live writes for {ticks} ticks: not coalesced");
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task Stop_FlushesThePendingLiveWriteAndTheChanges()
    {
        var store = new SlowStore(new InMemoryChartStore(new ChartStoreOptions()), TimeSpan.FromMilliseconds(200));
        var (engine, source, _) = Create(store, "1m");
        await engine.StartAsync(CancellationToken.None);
        var all = Minutes(Start, 20);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[..10], 0, false));
        foreach (var c in all[10..])
        {
            source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, c));
        }

        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length == 20, TimeSpan.FromSeconds(10), "applied");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await engine.StopAsync(timeout.Token);
        Assert.Equal(all[^1], await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.Equal(engine.GetChart(Symbol.GC, Timeframe.OneMinute), await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
        engine.Dispose();
    }

    [Fact]
    public async Task Restart_AgainstAThinFeed_KeepsEveryStoredBar_AndTheStoredLiveMinutes()
    {
        // What the last run stored: 600 minutes in the chart, and 5 newer ones only in the live buffer (the chart
        // is written every 30 s, the live keys at once).
        var store = new InMemoryChartStore(new ChartStoreOptions());
        var stored = Minutes(Start, 605);
        await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, stored.AsMemory(0, 600));
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, stored[^1], stored.AsMemory(500));
        var (engine, source, _) = Create(store, "1m");
        await engine.StartAsync(CancellationToken.None);

        // The feed answers thinly (a relay that just restarted): the last 10 minutes and 3 new ones.
        var fresh = Minutes(Start + (595 * 60), 13, stored[594].Close);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, fresh, 0, false));
        await Eventually.HoldsAsync(async () => await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) is { Length: 608 }, TimeSpan.FromSeconds(10), "the stored year and the new minutes");
        var chart = (await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute))!;
        Assert.Equal(Enumerable.Range(0, 608).Select(i => Start + (60L * i)), chart.Select(c => c.OpenTime));
        Assert.Equal(stored[..595].Select(c => c.Volume), chart[..595].Select(c => c.Volume));
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task TheStoreDownAtStart_NeverOverwritesTheStoredChart_UntilItWasRead()
    {
        var inner = new InMemoryChartStore(new ChartStoreOptions());
        var stored = Minutes(Start, 300);
        await inner.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, stored);
        var store = new FlakyReadStore(inner) { FailReads = true };
        var (engine, source, _) = Create(store, "1m");
        await engine.StartAsync(CancellationToken.None);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, stored[^5..], 0, false));
        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length == 5, TimeSpan.FromSeconds(10), "history applied");
        await Eventually.HoldsAsync(() => store.FailedReads >= 2, TimeSpan.FromSeconds(10), "restore retried");
        Assert.Equal(300, (await inner.LoadChartAsync(Symbol.GC, Timeframe.OneMinute))!.Length);

        store.FailReads = false;
        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute).Length == 300, TimeSpan.FromSeconds(10), "restored once the store answers");
        Assert.Equal(300, (await inner.LoadChartAsync(Symbol.GC, Timeframe.OneMinute))!.Length);
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task AFutureTickAndCandle_AreRejected_AndTheSeriesKeepsFollowingTheLiveMinute()
    {
        using var logs = new LogSink();
        var (engine, source, store) = Create(null, null, logs, "1m", "5m");
        await engine.StartAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var minute = Timeframe.OneMinute.Floor(now) - 120;
        var history = Minutes(minute - (60 * 59), 60);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));
        var month = 30L * 86_400;
        var p = history[^1].Close;
        source.Write(MarketDataEvent.ForTick(Symbol.GC, new Tick((now + month) * 1000, p, 1)));
        source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(Timeframe.OneMinute.Floor(now + month), p, p, p, p, 1)));
        source.Write(MarketDataEvent.ForTick(Symbol.GC, new Tick((minute + 60) * 1000, p + 0.1, 2)));
        source.Write(MarketDataEvent.ForTick(Symbol.GC, new Tick((minute + 70) * 1000, p + 0.2, 3)));

        await Eventually.HoldsAsync(async () => await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == minute + 60 && c.Volume == 5, TimeSpan.FromSeconds(10), "the live minute follows the real ticks");
        Assert.Equal(2, engine.Status.Rejected);
        Assert.Contains(logs.Lines, l => l.Contains("in_future (1 since the last warning)", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("in_future", StringComparison.Ordinal));
        foreach (var tf in new[] { Timeframe.OneMinute, Timeframe.FiveMinutes })
        {
            Assert.All(engine.GetChart(Symbol.GC, tf), c => Assert.True(c.OpenTime <= now + 600, $"{tf} holds {c}"));
        }

        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task AHistoryOutlier_IsLeftOut_AndTheLogNamesTheReason()
    {
        using var logs = new LogSink();
        var (engine, source, _) = Create(null, null, logs, "1m", "5m");
        await engine.StartAsync(CancellationToken.None);
        var minute = Timeframe.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - 120;
        var history = Minutes(minute - (60 * 59), 60);
        var bad = history[30].OpenTime;
        history[30] = Candle.Create(bad, 1e308, 1e308, 1e308, 1e308, 1);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, history, 0, false));

        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("[3102] History GC 1m", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the answer is logged");
        Assert.Contains(logs.Lines, l => l.Contains("[3102] History GC 1m: 60 received, 59 in the chart, 1 rejected (Outlier=1)", StringComparison.Ordinal));
        Assert.DoesNotContain(engine.GetChart(Symbol.GC, Timeframe.OneMinute), c => c.OpenTime == bad);
        Assert.All(engine.GetChart(Symbol.GC, Timeframe.FiveMinutes), c => Assert.True(c.High < 3000, $"5m holds {c}"));

        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task TheOneMinuteChart_HoldsAtMostItsHistoryDepth()
    {
        var (engine, source, _) = Create(null, o => o.HistoryBars["1m"] = 50, "1m");
        await engine.StartAsync(CancellationToken.None);
        var all = Minutes(Start, 80);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[..40], 0, false));
        foreach (var c in all[40..])
        {
            source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, c));
        }

        await Eventually.HoldsAsync(() => engine.GetChart(Symbol.GC, Timeframe.OneMinute) is { Length: > 0 } c && c[^1].OpenTime == all[^1].OpenTime, TimeSpan.FromSeconds(10), "live applied");
        Assert.Equal(all[30..].Select(c => c.OpenTime), engine.GetChart(Symbol.GC, Timeframe.OneMinute).Select(c => c.OpenTime));
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }

    [Fact]
    public async Task TheHourlyHistoryMerge_KeepsLiveMinutesTheNewAnswerLacks()
    {
        var (engine, source, _) = Create(null, "1m", "5m");
        await engine.StartAsync(CancellationToken.None);
        var all = Minutes(Start, 60);
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[..50], 0, false));
        foreach (var c in all[50..])
        {
            source.Write(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, c));
        }

        // The re-sync answers from a source that is behind: it lacks the ten live minutes.
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, all[..50], 0, false));
        source.Write(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.FiveMinutes, CandleAssert.NaiveResample(all[..50], Timeframe.FiveMinutes), 0, false));
        await Eventually.HoldsAsync(() => engine.Status.Messages >= 13, TimeSpan.FromSeconds(10), "re-sync handled");
        Assert.Equal(all.Select(c => c.OpenTime), engine.GetChart(Symbol.GC, Timeframe.OneMinute).Select(c => c.OpenTime));
        Assert.Equal(12, engine.GetChart(Symbol.GC, Timeframe.FiveMinutes).Length);
        await engine.StopAsync(CancellationToken.None);
        engine.Dispose();
    }
}
