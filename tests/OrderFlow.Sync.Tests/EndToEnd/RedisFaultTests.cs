using System.Net;
using System.Net.Sockets;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Redis.Tests.Infrastructure;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>End-to-end tests that need a redis-server of their own (restart, outage).</summary>
[Collection(WorkerTests.Name)]
public sealed class RedisFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RedisRestart_EveryKeyIsBackWithinOneChartSyncInterval()
    {
        await using var redis = await RedisServer.StartAsync();
        // No live stream: the charts do not change, so only the store's "unchanged" check stands between a lost key and its restore.
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false), new Dictionary<string, string?> { ["Sync:ChartSyncInterval"] = "00:00:02" });
        await worker.WaitForAllChartsAsync(Generous);
        var last = worker.Engine.GetChart(Symbol.GC, Timeframe.OneMinute)[^1];
        var live = Candle.Create(last.OpenTime + 60, last.Close, last.Close + 0.2, last.Close - 0.1, last.Close + 0.1, 4);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, live));
        await Eventually.HoldsAsync(async () => await worker.Db.KeyExistsAsync(worker.CurrentKey(Symbol.GC, Timeframe.OneMinute)), Generous, "live key written");
        await Task.Delay(2500); // at least one periodic pass with nothing changed

        await redis.StopProcessAsync();
        await Task.Delay(500);
        await redis.StartProcessAsync();
        var restarted = System.Diagnostics.Stopwatch.StartNew();
        var took = await Eventually.HoldsAsync(async () => await worker.CountChartKeysAsync() == 30, Generous, "all 30 chart keys restored");
        output.WriteLine($"30 chart keys restored {took.TotalSeconds:0.0} s after the restart (chart sync 2 s; includes the client's reconnect)");
        Assert.True(took < TimeSpan.FromSeconds(15), $"restore took {took}");
        await Eventually.HoldsAsync(async () => await worker.Db.KeyExistsAsync(worker.CurrentKey(Symbol.GC, Timeframe.OneMinute)) && await worker.Db.KeyExistsAsync(worker.CurrentKey(Symbol.GC, Timeframe.OneHour)), Generous, "live keys restored");
        output.WriteLine($"live keys restored {restarted.Elapsed.TotalSeconds:0.0} s after the restart");
        foreach (var (symbol, timeframe) in worker.AllSeries())
        {
            CandleAssert.Invariants((await worker.Reader.LoadChartAsync(symbol, timeframe))!, timeframe, $"{symbol} {timeframe}");
        }
    }

    [Fact]
    public async Task HealthEndpoint_AnswersHealthy_ThenUnhealthyWhenRedisIsDown()
    {
        await using var redis = await RedisServer.StartAsync();
        var port = OrderFlow.Tests.Shared.LoopbackPort.Next();
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 10 });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: true), new Dictionary<string, string?> { ["Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Sync:FutureTolerance"] = "1.00:00:00" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

        string body = "";
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync("health");
                body = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                return response.StatusCode == HttpStatusCode.OK && body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal);
            }
            catch (HttpRequestException ex)
            {
                body = ex.Message;
                return false; // The endpoint starts with the host, in the background.
            }
        }, Generous, () => $"health 200 Healthy; the last answer: {body}\n{worker.Engine.Status}\nThe worker's warnings and errors:\n"
            + string.Join('\n', worker.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal))), pollMs: 100);
        output.WriteLine(body);
        using (var live = await http.GetAsync("health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await redis.StopProcessAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync("health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, Generous, "health 503 with Redis down", pollMs: 100);
        output.WriteLine(body);
        Assert.Contains("orderflow-sync-store", body, StringComparison.Ordinal);
        Assert.True(worker.Metrics["orderflow.redis.errors"] > 0);

        // And back: Redis returns, the store check recovers.
        await redis.StartProcessAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync("health");
            return response.StatusCode == HttpStatusCode.OK;
        }, Generous, "health 200 again", pollMs: 100);

        // The feed going away is unhealthy too.
        await worker.Server.StopAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync("health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("feed not connected", StringComparison.Ordinal);
        }, Generous, "health 503 with the feed down", pollMs: 100);
    }
}
