using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>
/// Order flow through the worker's real composition: flow candles and sided ticks from a loopback feed server become
/// buy/sell/delta in Redis, and the coarse timeframes carry the sums.
/// </summary>
[Collection(WorkerTests.Name)]
public sealed class OrderFlowEndToEndTests(RedisFixture redis, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FlowCandlesAndSidedTicks_ReachRedis_AndTheCoarseTimeframesSumTheFlow()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        // The candles below open up to ten minutes past the history's end, which is now: allowed explicitly.
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false), new Dictionary<string, string?> { ["Sync:FutureTolerance"] = "00:15:00" });
        await worker.WaitForAllChartsAsync(Generous);

        // A fresh 5-minute bucket after the history: two flow candles, then a minute built from sided ticks.
        var last = worker.Engine.GetChart(Symbol.GC, Timeframe.OneMinute)[^1];
        var bucket = Timeframe.FiveMinutes.Floor(last.OpenTime) + 300;
        var p = last.Close;
        var first = Candle.Create(bucket, p, p + 0.5, p - 0.2, p + 0.3, 40, 25, 10);
        var second = Candle.Create(bucket + 60, p + 0.3, p + 0.6, p, p + 0.1, 30, 5, 20);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, first));
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, second));
        var ms = (bucket + 120) * 1000;
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(ms + 1_000, p + 0.1, 4) { Side = AggressorSide.Buy }));
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(ms + 2_000, p + 0.2, 3) { Side = AggressorSide.Sell }));
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(ms + 3_000, p + 0.3, 6) { Side = AggressorSide.Buy }));
        worker.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(ms + 4_000, p + 0.2, 2)));

        // The live 1m candle is the ticks': volume 15, buy 10, sell 3, unknown 2.
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == bucket + 120 && c.Volume == 15, Generous, "ticks' minute is current");
        var minute = (await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute))!.Value;
        Assert.Equal((15.0, 10.0, 3.0, 2.0, 7.0), (minute.Volume, minute.BuyVolume, minute.SellVolume, minute.UnknownVolume, minute.Delta));

        // The 5m (current and chart) sums the three minutes' flow: buy 25 + 5 + 10, sell 10 + 20 + 3.
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.FiveMinutes) is { } c && c.OpenTime == bucket && c.Volume == 85, Generous, "5m current");
        var five = (await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.FiveMinutes))!.Value;
        Assert.Equal((85.0, 40.0, 33.0, 7.0), (five.Volume, five.BuyVolume, five.SellVolume, five.Delta));
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.FiveMinutes) is { } chart && chart[^1].OpenTime == bucket && chart[^1].Delta == 7, Generous, "5m chart carries the flow");

        // The 1m chart keeps each minute's flow, and the raw JSON has the extra fields after the seed's six.
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) is { } chart && chart.Any(c => c.OpenTime == bucket + 60 && c.Delta == -15), Generous, "1m chart carries the flow");
        var raw = (string?)await worker.Db.StringGetAsync(worker.CurrentKey(Symbol.GC, Timeframe.FiveMinutes));
        output.WriteLine(raw);
        Assert.Contains("\"volume\":85,\"buyVolume\":40,\"sellVolume\":33,\"delta\":7", raw, StringComparison.Ordinal);
    }
}
