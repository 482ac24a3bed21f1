using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Redis;
using OrderFlow.Sync.Tests.Infrastructure;
using StackExchange.Redis;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <content>SIGTERM during live updates: a clean exit, and the live minute it acknowledged is in the chart.</content>
public sealed partial class NothingLostTests
{
    [Fact]
    public async Task Process_SigtermDuringLiveUpdates_ExitsZero_AndTheLastLiveMinuteIsInTheChart()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] });
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = market });
        var prefix = WorkerHarness.NewPrefix();
        var settings = new Dictionary<string, string?>(WorkerHarness.SmallDepths)
        {
            ["Feed:Url"] = server.Uri.ToString(),
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = prefix,
            ["Sync:Symbols"] = "GC",

            // No periodic chart write before the stop: after the history answers, only the final flush can put the
            // live minute into the chart.
            ["Sync:ChartSyncInterval"] = "01:00:00",
        };
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var reader = new RedisChartStore(connection, new ChartStoreOptions { KeyPrefix = prefix });

        await using var worker = WorkerProcess.Start(WorkerHarness.ToArgs(settings));
        Candle? first = null;
        Candle? seen = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                if (worker.HasExited)
                {
                    Assert.Fail($"the worker exited early:\n{await worker.StandardErrorAsync()}\n{await worker.StandardOutputAsync()}");
                }

                seen = await reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute);
                first ??= seen;
                return seen is not null && seen != first;
            },
            Generous,
            "live:GC:1m:current updated twice",
            pollMs: 50);

        await worker.TerminateAsync();
        var exitCode = await worker.WaitForExitAsync(Generous);
        var log = await worker.StandardOutputAsync();
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{await worker.StandardErrorAsync()}\n{log[Math.Max(0, log.Length - 4000)..]}");
        Assert.Contains("Sync engine stopped", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Shutdown timeout reached", log, StringComparison.Ordinal);

        // The live minute as the worker last acknowledged it, and the chart the final flush wrote.
        var current = await reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute);
        var chart = await reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);
        Assert.NotNull(current);
        Assert.NotNull(chart);
        var stored = chart.Where(c => c.OpenTime == current.Value.OpenTime).ToArray();
        Assert.True(stored.Length == 1 && stored[0] == current.Value, $"live:GC:1m:current {current} but the chart holds {(stored.Length == 0 ? "no candle then" : stored[0].ToString())}; its newest {chart[^1]}");
        Assert.Contains(chart, c => c.OpenTime == seen!.Value.OpenTime);
        output.WriteLine($"last read before SIGTERM {seen}; after exit current {current} = chart[{Array.IndexOf(chart, stored[0])}] of {chart.Length}");
    }
}
