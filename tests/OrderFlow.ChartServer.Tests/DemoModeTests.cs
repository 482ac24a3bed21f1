using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;
using OrderFlow.Sync;
using Xunit.Abstractions;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The README's one command: no Redis configured, so the synthetic market feeds the sync engine in process (no
/// socket) and the engine fills the in-memory store. Within ~20 s GC 1m has a year of history and live updates arrive; <c>Ctrl+C</c> stops it all
/// within the host's shutdown timeout, whoever is connected.
/// </summary>
public sealed class DemoModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NothingConfigured_ServesAYearOfHistory_AndLiveUpdates()
    {
        await using var server = await ChartServerHost.StartAsync(null, "--ChartServer:Demo=true");

        int daily = 0, minutes = 0;
        await Poll.UntilAsync(
            async () =>
            {
                daily = await CountAsync(server, "/api/chart/GC/1d");
                minutes = await CountAsync(server, "/api/chart/GC/1m");
                return daily >= 250 && minutes >= 50_000;
            },
            "a year of GC history in the demo store",
            TimeSpan.FromSeconds(120));
        Assert.InRange(daily, 250, 400);

        // The demo's market trades with aggressor sides: the history carries order flow, consistent in every candle.
        using (var response = await server.Http.GetAsync("/api/chart/GC/1h"))
        using (var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()))
        {
            var candles = json.RootElement.GetProperty("candles").EnumerateArray().ToArray();
            var withFlow = candles.Where(c => c.TryGetProperty("delta", out _)).ToArray();
            Assert.True(withFlow.Length > candles.Length * 0.9, $"{withFlow.Length} of {candles.Length} hourly candles carry order flow");
            foreach (var c in withFlow)
            {
                var (buy, sell, volume) = (c.GetProperty("buyVolume").GetDouble(), c.GetProperty("sellVolume").GetDouble(), c.GetProperty("volume").GetDouble());
                Assert.True(buy >= 0 && sell >= 0 && buy + sell <= volume, c.ToString());
                Assert.Equal(buy - sell, c.GetProperty("delta").GetDouble(), 6);
            }

            Assert.Contains(withFlow, c => c.GetProperty("delta").GetDouble() > 0);
            Assert.Contains(withFlow, c => c.GetProperty("delta").GetDouble() < 0);
        }

        // And live candles, built from the sided ticks, carry it too.
        await using var client = await LiveSocketClient.ConnectAsync(server.LiveSocket("symbol=GC&tf=1m"));
        // The demo builds a year of 30 series before live merging starts: minutes on a loaded 2-core machine.
        var candle = await client.NextCandleAsync(TimeSpan.FromSeconds(120));
        Assert.True(candle.GetProperty("close").GetDouble() > 0);
        for (var i = 0; i < 20 && !candle.TryGetProperty("delta", out _); i++)
        {
            candle = await client.NextCandleAsync(TimeSpan.FromSeconds(20));
        }

        Assert.True(candle.TryGetProperty("buyVolume", out _), candle.ToString());

        // And it stops, within the shutdown timeout (StopAsync throws otherwise), while the chart is still connected.
        var stopped = await server.StopAsync();
        output.WriteLine($"Demo stopped in {stopped.TotalMilliseconds:0} ms");
        await AssertStoppedAsync(server);
        Assert.NotEqual(WebSocketState.Open, await client.EndedAsync());
    }

    [Fact]
    public async Task Stop_WhileLiveUpdatesStream_WithClientsThatNeverRead_CompletesWithinTheShutdownTimeout()
    {
        await using var server = await ChartServerHost.StartAsync(null, "--ChartServer:Demo=true");

        // A chart that reads and one that never reads (its sends back up).
        await using var reading = await LiveSocketClient.ConnectAsync(server.LiveSocket("symbol=GC&tf=1m"));
        await using var silent = await LiveSocketClient.ConnectAsync(server.LiveSocket("symbol=GC&tf=1m"), read: false);
        await reading.NextCandleAsync(TimeSpan.FromSeconds(120)); // a year of 30 series first: generous on a loaded machine

        var stopped = await server.StopAsync();

        output.WriteLine($"Demo stopped in {stopped.TotalMilliseconds:0} ms");
        await AssertStoppedAsync(server);
        Assert.NotEqual(WebSocketState.Open, await reading.EndedAsync());
    }

    [Fact]
    public async Task NothingConfigured_FeedsTheEngineFromTheSyntheticMarketInProcess_WithNoFeedServerOrClient()
    {
        await using var server = await ChartServerHost.StartAsync(null, "--ChartServer:Demo=true");

        var source = Assert.Single(server.Services.GetServices<IMarketDataSource>());
        var market = Assert.IsType<SyntheticMarket>(source);

        // The engine starts its source in the background, after resuming from the store: wait for it, generously.
        for (var waited = 0; !market.IsRunning && waited < 60_000; waited += 50)
        {
            await Task.Delay(50);
        }

        Assert.True(market.IsRunning, "the synthetic market was not started within 60 s");

        // No feed server or client, nor a Feed:Url to validate: the chart server does not even reference the feed packages.
        Assert.DoesNotContain(ReferencedAssemblies(System.Reflection.Assembly.Load("OrderFlow.ChartServer")), n => n.StartsWith("OrderFlow.Feed", StringComparison.Ordinal));
    }

    /// <summary>Everything the demo started has ended: the sync engine, the in-process source, the live clients.</summary>
    private static async Task AssertStoppedAsync(ChartServerHost server)
    {
        var engine = server.Get<CandleSyncEngine>();
        Assert.True(engine.ExecuteTask is { IsCompleted: true }, $"the sync engine is still running ({engine.ExecuteTask?.Status})");
        var source = Assert.IsAssignableFrom<InProcessMarketDataSource>(server.Get<IMarketDataSource>());
        Assert.False(source.IsRunning);
        await Poll.UntilAsync(
            () => server.Metrics["orderflow.chartserver.ws.clients"] == 0 && server.Metrics["orderflow.chartserver.ws.series"] == 0,
            "every live client gone",
            TimeSpan.FromSeconds(5));
    }

    /// <summary>The names of the OrderFlow assemblies <paramref name="root"/> references, directly or through another.</summary>
    private static HashSet<string> ReferencedAssemblies(System.Reflection.Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<System.Reflection.Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && name.StartsWith("OrderFlow.", StringComparison.Ordinal) && seen.Add(name))
                {
                    pending.Push(System.Reflection.Assembly.Load(reference));
                }
            }
        }

        return seen;
    }

    private static async Task<int> CountAsync(ChartServerHost server, string path)
    {
        using var response = await server.Http.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return 0;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("candles").GetArrayLength();
    }
}
