using System.Net;
using System.Text;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;
using OrderFlow.Redis.Tests.Infrastructure;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The production layout: the server reads a real, password-protected redis-server (written here as the sync worker
/// would), relays its pub/sub, and never lets the password or the Redis address reach a browser.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class RedisChartServerTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Rd!s-t0ken-7f3a9c2e-never-in-a-page";
    private readonly Candle[] _gcMinutes = TestCandles.Series(Timeframe.OneMinute, 1_500);
    private RedisServer _redis = null!;
    private RedisChartStore _writer = null!;
    private ChartServerHost _server = null!;

    private string RedisAddress => $"127.0.0.1:{_redis.Port}";

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(Password);
        _writer = await RedisChartStore.ConnectAsync(new ChartStoreOptions { Configuration = _redis.Configuration });
        await _writer.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes);
        await _writer.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes[^1], _gcMinutes.AsMemory(^200..));
        await _writer.SaveChartAsync(Symbol.GC, Timeframe.OneDay, TestCandles.Series(Timeframe.OneDay, 300, 2000, TestCandles.Start - (300 * 86_400L)));
        _server = await ChartServerHost.StartAsync(null, $"--Redis:Configuration={_redis.Configuration}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _writer.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Api_ServesTheSeriesFromRedis()
    {
        using var response = await _server.Http.GetAsync("/api/chart/GC/1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1_500, json.RootElement.GetProperty("candles").GetArrayLength());
        using var live = await _server.Http.GetAsync("/api/live/GC/1m");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Api_ServesTheStoredValueByteForByte_EvenInAnotherWritersFormat()
    {
        // As the seed's Python worker wrote it (json.dumps: blanks after separators, a float close).
        const string Python = """[{"time": 1704067200, "open": 2030.5, "high": 2031.2, "low": 2030.1, "close": 2031.0, "volume": 15000}]""";
        await _writer.Connection.GetDatabase().StringSetAsync("chart:GC:4h:1year", Python);

        var body = await _server.Http.GetStringAsync("/api/chart/GC/4h");

        Assert.Equal("""{"symbol":"GC","timeframe":"4h","candles":""" + Python + "}", body);
    }

    [Theory]
    [InlineData("""[{"time":1704067200,"open":2030.5,"high":2031.2""", "shape")]
    [InlineData("""{"time":1704067200}""", "shape")]
    [InlineData("garbage", "shape")]
    [InlineData("""[1,2,3]""", "invalid")]
    [InlineData("""[{"time":1704067200,"open":1,"high":1,"low":1,"close":1,"volume":1},{"open":1}]""", "invalid")]
    [InlineData("""[{"time":1704067260,"open":1,"high":1,"low":1,"close":1,"volume":1},{"time":1704067200,"open":1,"high":1,"low":1,"close":1,"volume":1}]""", "unsorted")]
    [InlineData("""[{"time":1704067200,"open":1,"high":1,"low":1,"close":1,"volume":1},{"time":1704067200,"open":1,"high":1,"low":1,"close":1,"volume":1}]""", "unsorted")]
    public async Task Api_CorruptStoredChart_Answers502Problem_CountsIt_AndKeepsServing(string corrupt, string reason)
    {
        await _writer.Connection.GetDatabase().StringSetAsync("chart:GC:15m:1year", corrupt);

        for (var i = 0; i < 3; i++)
        {
            using var response = await _server.Http.GetAsync("/api/chart/GC/15m");

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("Corrupt chart", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal(reason, problem.RootElement.GetProperty("reason").GetString());
        }

        await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.chart.corrupt"] >= 3, "each 502 counted");
        using var healthy = await _server.Http.GetAsync("/api/chart/GC/1m");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        using var missing = await _server.Http.GetAsync("/api/chart/SI/15m");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("""[{"time":1704153600,"open":2030,"high":2031,"low":2029,"close":2030.5,"volume":5},{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031.0,"volume":15}]""")]
    public async Task YearPage_CorruptOrUnsortedStoredChart_ShowsAnErrorState_NotABrokenChart(string stored)
    {
        await _writer.Connection.GetDatabase().StringSetAsync("chart:NQ:1d:1year", stored);
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/year.html?symbol=NQ&tf=1d"));
        await page.WaitForChartAsync("c.error !== null && c.bars === 0 && !c.noData", "the error state");

        Assert.Equal("error", await page.Page.GetAttributeAsync("#message", "data-kind"));
        Assert.False(await page.Page.IsHiddenAsync("#message"));
        Assert.Contains("502", await page.Page.TextContentAsync("#message") ?? string.Empty, StringComparison.Ordinal);
        await page.ScreenshotAsync(stored == "garbage" ? "redis-year-corrupt" : "redis-year-unsorted");
    }

    [Fact]
    public async Task WebSocket_RelaysRedisPubSub_FromAnotherConnection()
    {
        await using var client = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"));
        var next = TestCandles.At(_gcMinutes[^1].OpenTime + 60, _gcMinutes[^1].Close, _gcMinutes[^1].Close + 1.5);

        await _writer.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, next, new[] { next });

        var candle = await client.NextCandleAsync();
        Assert.Equal(next.OpenTime, candle.GetProperty("time").GetInt64());
        Assert.Equal(next.Close, candle.GetProperty("close").GetDouble());
    }

    [Fact]
    public async Task FlowCandles_RoundTripThroughRedis_ToTheApiAndTheWebSocket()
    {
        var flow = TestCandles.FlowSeries(Timeframe.OneMinute, 30, i => (i % 3) switch { 0 => 1, 1 => -1, _ => null }, 75);
        await _writer.SaveChartAsync(Symbol.CL, Timeframe.OneMinute, flow);
        await _writer.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, flow[^2], flow.AsMemory(..^1));

        using (var json = JsonDocument.Parse(await _server.Http.GetByteArrayAsync("/api/chart/CL/1m")))
        {
            var candles = json.RootElement.GetProperty("candles");
            Assert.Equal(flow.Length, candles.GetArrayLength());
            for (var i = 0; i < flow.Length; i++)
            {
                ChartApiTests.AssertWireCandle(flow[i], candles[i]);
            }
        }

        using (var json = JsonDocument.Parse(await _server.Http.GetByteArrayAsync("/api/live/CL/1m")))
        {
            ChartApiTests.AssertWireCandle(flow[^2], json.RootElement.GetProperty("current"));
        }

        await using var client = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=CL&tf=1m"));
        var next = TestCandles.At(flow[^1].OpenTime + 60, flow[^1].Close, flow[^1].Close + 0.2, 80, 15, 45);
        await _writer.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, next, new[] { next });
        var candle = await client.NextCandleAsync();
        ChartApiTests.AssertWireCandle(next, candle);
        Assert.Equal(-30, candle.GetProperty("delta").GetDouble());
    }

    [Fact]
    public async Task Pages_NeverReceiveThePasswordOrTheRedisAddress()
    {
        var received = new List<(string Url, byte[] Body)>();
        foreach (var path in new[] { "/", "/live.html?symbol=GC&tf=1m", "/year.html?symbol=GC&tf=1d" })
        {
            await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, path));
            if (path != "/")
            {
                await page.WaitForChartAsync("c.bars > 0 && c.status === 'live' && c.loads >= 2", $"{path} loaded from Redis");
                var next = TestCandles.At(_gcMinutes[^1].OpenTime + 120, _gcMinutes[^1].Close, _gcMinutes[^1].Close + 2);
                await _writer.SaveLiveAsync(Symbol.GC, path.Contains("1d", StringComparison.Ordinal) ? Timeframe.OneDay : Timeframe.OneMinute, next, new[] { next });
                await page.WaitForChartAsync("c.updates >= 1", "a live update through the page's WebSocket");
                await page.ScreenshotAsync(path.Contains("year", StringComparison.Ordinal) ? "redis-year-GC-1d" : "redis-live-GC-1m");
            }

            received.AddRange(await page.ReceivedAsync());
            Assert.Empty(page.Errors);
        }

        Assert.Contains(received, r => r.Url.Contains("/api/chart/GC", StringComparison.Ordinal));
        Assert.Contains(received, r => r.Url.Contains("/ws/live", StringComparison.Ordinal));
        foreach (var (url, body) in received)
        {
            var text = Encoding.UTF8.GetString(body);
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{url} contains the Redis password");
            Assert.False(text.Contains(RedisAddress, StringComparison.Ordinal), $"{url} contains the Redis address");
            Assert.False(text.Contains("requirepass", StringComparison.OrdinalIgnoreCase), $"{url} mentions requirepass");
        }
    }

    [Fact]
    public async Task EveryServerAnswer_IncludingErrors_HidesTheSecret()
    {
        foreach (var path in new[] { "/api/chart/GC/1m", "/api/chart/XX/1m", "/api/live/NQ/1h", "/ws/live?symbol=GC&tf=1m", "/nope", "/healthz" })
        {
            using var response = await _server.Http.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync() + response.Headers + response.Content.Headers;

            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(RedisAddress, text, StringComparison.Ordinal);
        }
    }
}
