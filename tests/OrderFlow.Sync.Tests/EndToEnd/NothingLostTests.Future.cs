using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <content>Inputs from the future are turned away, counted, and do not derail the live series.</content>
public sealed partial class NothingLostTests
{
    [Fact]
    public async Task FutureTickAndCandle_AreRejectedAndCounted_NeverStored_AndTheLiveMinuteStillFollows()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false), new Dictionary<string, string?> { ["Sync:Symbols"] = "GC" });
        await worker.WaitForAllChartsAsync(Generous, [Symbol.GC]);

        // A month ahead at a price that passes every other rule: only the clock can tell it is wrong.
        var last = worker.Engine.GetChart(Symbol.GC, Timeframe.OneMinute)[^1];
        var monthAhead = DateTimeOffset.UtcNow.AddDays(30);
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(monthAhead.ToUnixTimeMilliseconds(), last.Close, 2)));
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(Minute(monthAhead), last.Close, last.Close + 0.2, last.Close - 0.1, last.Close + 0.1, 3)));
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.rejected|reason=in_future"] >= 2, Generous, "both counted as in_future");

        // A real tick now moves the live minute's close, and the next minute's candle (which the default tolerance of one
        // timeframe admits) becomes current: the future inputs left nothing behind that holds the series.
        var tickTime = DateTimeOffset.UtcNow;
        var tickPrice = last.Close + 0.1;
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(tickTime.ToUnixTimeMilliseconds(), tickPrice, 1)));
        await Eventually.HoldsAsync(
            async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == Minute(tickTime) && c.Close == tickPrice,
            Generous,
            $"live:GC:1m:current at {Utc(Minute(tickTime))} closing at the tick's {tickPrice}");
        var next = Candle.Create(Minute(tickTime) + 60, tickPrice, tickPrice + 0.3, tickPrice - 0.2, tickPrice + 0.2, 5);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, next));
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) == next, Generous, $"live:GC:1m:current = {next}");

        Assert.Equal(2, worker.Metrics["orderflow.sync.rejected|reason=in_future"]);
        Assert.Equal(2, worker.Engine.Status.Rejected);

        // Nowhere: no chart, no live key, no live buffer of any timeframe, in Redis or in the engine.
        var limit = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        foreach (var timeframe in Timeframe.All)
        {
            var series = $"GC {timeframe}";
            Assert.DoesNotContain(worker.Engine.GetChart(Symbol.GC, timeframe), c => c.OpenTime > limit);
            await Eventually.HoldsAsync(
                async () => await worker.Reader.LoadChartAsync(Symbol.GC, timeframe) is { } chart && chart[^1].OpenTime >= timeframe.Floor(next.OpenTime),
                Generous,
                $"the {series} chart written after the live minute");
            Assert.DoesNotContain((await worker.Reader.LoadChartAsync(Symbol.GC, timeframe))!, c => c.OpenTime > limit);
            Assert.True(await worker.Reader.LoadCurrentAsync(Symbol.GC, timeframe) is { } current && current.OpenTime <= limit, $"{series} current");
            Assert.DoesNotContain(await worker.Reader.LoadBufferAsync(Symbol.GC, timeframe) ?? [], c => c.OpenTime > limit);
        }
    }

    [Fact]
    public async Task FutureCandle_ThenAnOutage_TheBackfillStillCoversTheOutage()
    {
        var (worker, market, clock) = await StartOnMarketTimeAsync(new());
        await using var _ = worker;
        await AdvanceAsync(clock, WarmUp, TimeSpan.FromSeconds(10));
        await WaitForLiveMinuteAsync(worker, market);

        var last = worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute)!.Value;
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(Minute(market.Now.AddDays(30)), last.Close, last.Close + 0.2, last.Close - 0.1, last.Close + 0.1, 3)));
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.rejected|reason=in_future"] >= 1, Generous, "the future candle rejected");

        // Rejected by the worker, the future candle must not count as "seen" when the outage's backfill is sized and judged.
        await OutageAsync(worker, clock, TimeSpan.FromMinutes(10));
        await Eventually.HoldsAsync(() => worker.Engine.Status is { Reconnects: >= 1, AwaitingBackfill: 0, FeedState: MarketData.SourceConnectionState.Backfilled }, Generous, "backfilled");
        await AdvanceAsync(clock, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        await WaitForCompleteChartAsync(worker, market, clock);
    }
}
