using System.Net;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;
using OrderFlow.Redis.Tests.Infrastructure;

namespace OrderFlow.ChartServer.Tests;

/// <summary><c>/healthz</c>: the store's reachability (a real redis-server stopped and restarted) and live freshness.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_RedisStopped_Is503_ThenHealthyAgainAfterItReturns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ChartServerHost.StartAsync(null, $"--Redis:Configuration={redis.Configuration}");
        var (status, json) = await HealthAsync(server);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", json.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());

        await redis.StopProcessAsync();
        await Poll.UntilAsync(async () => (await HealthAsync(server)).Status == HttpStatusCode.ServiceUnavailable, "/healthz 503 with Redis stopped", TimeSpan.FromSeconds(30));
        (status, json) = await HealthAsync(server);
        Assert.Equal("Unhealthy", json.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", json.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        Assert.DoesNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), json.GetRawText(), StringComparison.Ordinal);

        await redis.StartProcessAsync();
        await Poll.UntilAsync(async () => (await HealthAsync(server)).Status == HttpStatusCode.OK, "/healthz 200 once Redis is back", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Healthz_LiveSeriesWithoutUpdates_IsDegraded_ThenHealthyOnUpdate()
    {
        using var memory = new InMemoryChartStore();
        await using var server = await ChartServerHost.StartAsync(memory, "--ChartServer:LiveStaleAfter=00:00:01");
        var (status, json) = await HealthAsync(server);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", json.GetProperty("status").GetString());

        await using var client = await LiveSocketClient.ConnectAsync(server.LiveSocket("symbol=GC&tf=1m"));
        await Poll.UntilAsync(async () => (await HealthAsync(server)).Json.GetProperty("status").GetString() == "Degraded", "Degraded with no update");
        (status, json) = await HealthAsync(server);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("GC 1m", json.GetProperty("checks").GetProperty("live").GetProperty("description").GetString(), StringComparison.Ordinal);

        var time = TestCandles.Start;
        await Poll.UntilAsync(
            async () =>
            {
                time += 60;
                var candle = TestCandles.At(time, 2000, 2001, 1);
                await memory.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candle, new[] { candle });
                return (await HealthAsync(server)).Json.GetProperty("checks").GetProperty("live").GetProperty("status").GetString() == "Healthy";
            },
            "Healthy once updates flow");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> HealthAsync(ChartServerHost server)
    {
        using var response = await server.Http.GetAsync("/healthz");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
