using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>
/// What operators read: the <c>OrderFlow.Sync</c> meter (messages by type, reconnects, store write latency) and the
/// one-line status log.
/// </summary>
[Collection(WorkerTests.Name)]
public sealed class MetricsAndStatusTests(RedisFixture redis, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Meter_CountsMessagesReconnectsAndStoreLatency_AndTheStatusLineIsLogged()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(
            redis.Configuration,
            new ScriptedSource(market, stream: true),
            new Dictionary<string, string?> { ["Sync:StatusLogInterval"] = "00:00:00.300" });
        await worker.WaitForAllChartsAsync(Generous);

        // Every history answer counted by type, and every chart write timed (by the store, which owns the write).
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.messages|type=history"] >= 30, Generous, "30 history answers counted");
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.redis.write.duration|kind=chart"] > 0, Generous, "chart write latency recorded");
        Assert.Equal(0, worker.Metrics["orderflow.redis.errors"]);

        // A dropped connection is a reconnect.
        worker.Server.Faults.DropConnections();
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.reconnects"] >= 1, Generous, "reconnect counted");
        Assert.True(worker.Engine.Status.Reconnects >= 1);

        // One status line per interval, on one line.
        await Eventually.HoldsAsync(() => worker.Logs.Lines.Count(l => l.Contains("Sync status:", StringComparison.Ordinal)) >= 2, Generous, "two status lines");
        var status = worker.Logs.Lines.Last(l => l.Contains("Sync status:", StringComparison.Ordinal));
        output.WriteLine(status);
        Assert.DoesNotContain('\n', status);
    }
}
