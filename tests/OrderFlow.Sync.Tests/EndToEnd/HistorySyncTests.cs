using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>History is requested at start-up and then every <c>Sync:HistorySyncInterval</c>, and each answer is merged.</summary>
[Collection(WorkerTests.Name)]
public sealed class HistorySyncTests(RedisFixture redis, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task History_IsRequestedAgainEveryInterval_ForEverySeries()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC, Symbol.ES] });
        await using var worker = await WorkerHarness.StartAsync(
            redis.Configuration,
            new ScriptedSource(market, stream: false),
            new Dictionary<string, string?> { ["Sync:Symbols"] = "GC,ES", ["Sync:HistorySyncInterval"] = "00:00:01" });
        var series = new[] { Symbol.GC, Symbol.ES };
        await worker.WaitForAllChartsAsync(Generous, series);

        // 12 series: a first round at start-up, then one more round a second.
        var took = await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.messages|type=history"] >= 36, Generous, "three rounds of history answers");
        output.WriteLine($"{worker.Metrics["orderflow.sync.messages|type=history"]} history answers after {took.TotalMilliseconds:0} ms");
        Assert.Equal(12, await worker.CountChartKeysAsync(series));
        foreach (var symbol in series)
        {
            var chart = await worker.Reader.LoadChartAsync(symbol, Timeframe.OneMinute);
            CandleAssert.Invariants(chart!, Timeframe.OneMinute, $"{symbol} 1m");
        }
    }
}
