using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>The server with an in-memory store seeded by the tests, shared by the API tests.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    internal InMemoryChartStore Store { get; } = new();

    internal CountingChartStore Counting { get; private set; } = null!;

    internal ChartServerHost Server { get; private set; } = null!;

    internal Candle[] GcMinutes { get; } = TestCandles.Series(Timeframe.OneMinute, 2_000);

    /// <summary>NQ 1m with order flow on two candles out of three (positive, negative, none, positive, …).</summary>
    internal Candle[] NqFlowMinutes { get; } = TestCandles.FlowSeries(Timeframe.OneMinute, 90, i => (i % 3) switch { 0 => 1, 1 => -1, _ => null }, 17_500);

    public async Task InitializeAsync()
    {
        Counting = new CountingChartStore(Store);
        await Store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, GcMinutes);
        await Store.SaveChartAsync(Symbol.SI, Timeframe.OneDay, TestCandles.Series(Timeframe.OneDay, 365, 25));
        await Store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, GcMinutes[^1], GcMinutes.AsMemory(^300..));
        await Store.SaveChartAsync(Symbol.NQ, Timeframe.OneMinute, NqFlowMinutes);
        await Store.SaveLiveAsync(Symbol.NQ, Timeframe.OneMinute, NqFlowMinutes[^2], NqFlowMinutes.AsMemory(..^1)); // the current candle has flow
        Server = await ChartServerHost.StartAsync(Counting, "--ChartServer:ChartCacheDuration=00:00:00.200");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Store.Dispose();
    }
}

public sealed class ChartApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task GetChart_Seeded_Returns200WithTheSeriesAsJson()
    {
        using var response = await Http.GetAsync("/api/chart/GC/1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("GC", json.RootElement.GetProperty("symbol").GetString());
        Assert.Equal("1m", json.RootElement.GetProperty("timeframe").GetString());
        var candles = json.RootElement.GetProperty("candles");
        Assert.Equal(2_000, candles.GetArrayLength());
        var first = candles[0];
        var expected = fixture.GcMinutes[0];
        Assert.Equal(expected.OpenTime, first.GetProperty("time").GetInt64());
        Assert.Equal(expected.Open, first.GetProperty("open").GetDouble());
        Assert.Equal(expected.High, first.GetProperty("high").GetDouble());
        Assert.Equal(expected.Low, first.GetProperty("low").GetDouble());
        Assert.Equal(expected.Close, first.GetProperty("close").GetDouble());
        Assert.Equal(expected.Volume, first.GetProperty("volume").GetDouble());
        Assert.Equal(fixture.GcMinutes[^1].OpenTime, candles[1_999].GetProperty("time").GetInt64());
    }

    [Fact]
    public async Task GetLive_Seeded_ReturnsCurrentAndBuffer()
    {
        using var response = await Http.GetAsync("/api/live/GC/1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(fixture.GcMinutes[^1].OpenTime, json.RootElement.GetProperty("current").GetProperty("time").GetInt64());
        Assert.Equal(300, json.RootElement.GetProperty("buffer").GetArrayLength());
    }

    [Fact]
    public async Task GetChart_FlowCandles_CarryBuySellAndDeltaAfterVolume_OthersDoNot()
    {
        using var response = await Http.GetAsync("/api/chart/NQ/1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var candles = json.RootElement.GetProperty("candles");
        Assert.Equal(fixture.NqFlowMinutes.Length, candles.GetArrayLength());
        for (var i = 0; i < fixture.NqFlowMinutes.Length; i++)
        {
            AssertWireCandle(fixture.NqFlowMinutes[i], candles[i]);
        }

        Assert.Contains(fixture.NqFlowMinutes, c => c.HasFlow && c.Delta > 0);
        Assert.Contains(fixture.NqFlowMinutes, c => c.HasFlow && c.Delta < 0);
        Assert.Contains(fixture.NqFlowMinutes, c => !c.HasFlow);
    }

    [Fact]
    public async Task GetLive_FlowCandles_CarryBuySellAndDelta_InCurrentAndBuffer()
    {
        using var response = await Http.GetAsync("/api/live/NQ/1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var current = json.RootElement.GetProperty("current");
        Assert.True(fixture.NqFlowMinutes[^2].HasFlow);
        AssertWireCandle(fixture.NqFlowMinutes[^2], current);
        var buffer = json.RootElement.GetProperty("buffer");
        Assert.Equal(fixture.NqFlowMinutes.Length - 1, buffer.GetArrayLength());
        for (var i = 0; i < buffer.GetArrayLength(); i++)
        {
            AssertWireCandle(fixture.NqFlowMinutes[i], buffer[i]);
        }
    }

    [Fact]
    public async Task GetChartAndLive_CandlesWithoutFlow_AreByteIdenticalToTheSeedShape()
    {
        // The bytes the server wrote before order flow existed: six fields, nothing else.
        static byte[] Expected(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true }))
            {
                write(w);
            }

            return stream.ToArray();
        }

        static void Seed(Utf8JsonWriter w, Candle c)
        {
            w.WriteStartObject();
            w.WriteNumber("time", c.OpenTime);
            w.WriteNumber("open", c.Open);
            w.WriteNumber("high", c.High);
            w.WriteNumber("low", c.Low);
            w.WriteNumber("close", c.Close);
            w.WriteNumber("volume", c.Volume);
            w.WriteEndObject();
        }

        Assert.DoesNotContain(fixture.GcMinutes, c => c.HasFlow);
        var chart = Expected(w =>
        {
            w.WriteStartObject();
            w.WriteString("symbol", "GC");
            w.WriteString("timeframe", "1m");
            w.WritePropertyName("candles");
            w.WriteStartArray();
            foreach (var c in fixture.GcMinutes)
            {
                Seed(w, c);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        Assert.Equal(chart, await Http.GetByteArrayAsync("/api/chart/GC/1m"));

        var live = Expected(w =>
        {
            w.WriteStartObject();
            w.WriteString("symbol", "GC");
            w.WriteString("timeframe", "1m");
            w.WritePropertyName("current");
            Seed(w, fixture.GcMinutes[^1]);
            w.WritePropertyName("buffer");
            w.WriteStartArray();
            foreach (var c in fixture.GcMinutes[^300..])
            {
                Seed(w, c);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        Assert.Equal(live, await Http.GetByteArrayAsync("/api/live/GC/1m"));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("gc")]
    [InlineData("GCZ6")]
    [InlineData("G%20C")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task GetChart_UnknownSymbol_Returns400ProblemNamingTheValue(string symbol)
    {
        using var response = await Http.GetAsync($"/api/chart/{symbol}/1m");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("symbol", problem.GetProperty("parameter").GetString());
        var shown = Uri.UnescapeDataString(symbol);
        Assert.Contains(shown.Length > 32 ? shown[..32] : shown, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2m")]
    [InlineData("1M")]
    [InlineData("60")]
    [InlineData("1year")]
    public async Task GetChart_UnknownTimeframe_Returns400ProblemNamingTheValue(string timeframe)
    {
        foreach (var api in new[] { "chart", "live" })
        {
            using var response = await Http.GetAsync($"/api/{api}/GC/{timeframe}");

            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("timeframe", problem.GetProperty("parameter").GetString());
            Assert.Contains($"'{timeframe}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/chart/NQ/4h")]
    [InlineData("/api/live/NQ/4h")]
    [InlineData("/api/live/SI/1d")]
    public async Task Get_MissingSeries_Returns404Problem(string path)
    {
        using var response = await Http.GetAsync(path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("No data", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task GetChart_IfNoneMatchWithTheETag_Returns304WithoutBody_AndAChangeGivesANewETag()
    {
        await fixture.Store.SaveChartAsync(Symbol.CL, Timeframe.OneHour, TestCandles.Series(Timeframe.OneHour, 500, 75));
        using var first = await Http.GetAsync("/api/chart/CL/1h");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/chart/CL/1h");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        await fixture.Store.SaveChartAsync(Symbol.CL, Timeframe.OneHour, TestCandles.Series(Timeframe.OneHour, 501, 75));
        await Poll.UntilAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chart/CL/1h");
                request.Headers.IfNoneMatch.Add(etag);
                using var response = await Http.SendAsync(request);
                return response.StatusCode == HttpStatusCode.OK && response.Headers.ETag is { } changed && changed != etag;
            },
            "a new ETag after the series changed");
    }

    [Fact]
    public async Task GetChart_ManyRequests_ReadTheStoreOncePerCacheWindow()
    {
        await fixture.Store.SaveChartAsync(Symbol.ES, Timeframe.OneHour, TestCandles.Series(Timeframe.OneHour, 1_000, 5000));
        var before = fixture.Counting.ChartLoads;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Http.GetAsync("/api/chart/ES/1h");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));

        Assert.InRange(fixture.Counting.ChartLoads - before, 1, 3);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task GetChart_AcceptEncoding_ReturnsTheSameJsonCompressed(string encoding)
    {
        using var plain = await Http.GetAsync("/api/chart/GC/1m");
        var json = await plain.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chart/GC/1m");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length * 3 < json.Length, $"{encoding}: {compressed.Length} bytes for {json.Length} bytes of JSON");
        using var input = new MemoryStream(compressed);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        await decoder.CopyToAsync(output);
        Assert.Equal(json, output.ToArray());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/live.html")]
    [InlineData("/year.html")]
    [InlineData("/js/chart-page.js")]
    [InlineData("/lib/lightweight-charts.mjs")]
    [InlineData("/api/chart/GC/1m")]
    [InlineData("/api/chart/XX/1m")]
    [InlineData("/api/live/NQ/4h")]
    [InlineData("/no/such/page")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var response = await Http.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Cross-Origin-Opener-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/api")]
    [InlineData("/api/chart/GC")]
    [InlineData("/api/chart/GC/1m/extra")]
    [InlineData("/api/secret")]
    [InlineData("/node_modules/lightweight-charts/package.json")]
    [InlineData("/appsettings.json")]
    [InlineData("/OrderFlow.ChartServer.dll")]
    public async Task UnknownRoute_Returns404(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task NonGetMethod_Returns405WithAllow(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/chart/GC/1m");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Head_ReturnsHeadersWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/api/chart/GC/1m");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HugeQueryString_Returns414()
    {
        using var response = await Http.GetAsync("/api/chart/GC/1m?x=" + new string('a', 100_000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Fact]
    public async Task HugeHeaders_Return431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chart/GC/1m");
        for (var i = 0; i < 8; i++)
        {
            request.Headers.Add($"X-Filler-{i}", new string('b', 4_000));
        }

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/chart/GC/1m?%%%")]
    [InlineData("/api/chart/GC/1m?a=%ZZ&&&=&b")]
    [InlineData("/api/chart/%ZZ/1m")]
    [InlineData("/api/chart/GC/%00")]
    [InlineData("/api/chart/%E2%82%AC/1m")]
    [InlineData("/ws/live?symbol=%ZZ&tf=%")]
    [InlineData("/ws/live?symbol=GC&symbol=SI&tf=1m")]
    [InlineData("/ws/live?symbol=&tf=")]
    [InlineData("/ws/live")]
    [InlineData("/live.html?symbol=<script>alert(1)</script>&tf=1m")]
    public async Task MalformedInput_IsAClientErrorOrIgnored_NeverAServerError(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_HaveNoInlineScriptOrStyle_AndLoadTheLibraryFromThisServer()
    {
        foreach (var page in new[] { "/", "/live.html", "/year.html" })
        {
            var html = await Http.GetStringAsync(page);

            Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex(@"\sstyle\s*=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("unpkg", html, StringComparison.OrdinalIgnoreCase);
        }

        using var library = await Http.GetAsync("/lib/lightweight-charts.mjs");
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);
        var text = await library.Content.ReadAsStringAsync();
        Assert.Contains("Lightweight Charts", text, StringComparison.Ordinal);
        Assert.DoesNotContain("from\"fancy-canvas\"", text, StringComparison.Ordinal); // the standalone build: no bare imports
    }

    [Fact]
    public async Task StoreUnreachable_Returns503ProblemWithoutDetails()
    {
        var failing = new CountingChartStore(new InMemoryChartStore())
        {
            Failure = new ChartStoreException("redis-secret-host.internal:6380 refused the connection (password=hunter2)"),
        };
        await using var server = await ChartServerHost.StartAsync(failing);

        foreach (var path in new[] { "/api/chart/GC/1m", "/api/live/GC/1m" })
        {
            using var response = await server.Http.GetAsync(path);

            await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("redis-secret-host", body, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Asserts the wire form of a candle: the seed's six fields in order, then buyVolume, sellVolume and delta exactly
    /// when the candle has flow.
    /// </summary>
    internal static void AssertWireCandle(Candle expected, JsonElement actual)
    {
        string[] names = expected.HasFlow
            ? ["time", "open", "high", "low", "close", "volume", "buyVolume", "sellVolume", "delta"]
            : ["time", "open", "high", "low", "close", "volume"];
        Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(expected.OpenTime, actual.GetProperty("time").GetInt64());
        Assert.Equal(expected.Close, actual.GetProperty("close").GetDouble());
        Assert.Equal(expected.Volume, actual.GetProperty("volume").GetDouble());
        if (expected.HasFlow)
        {
            Assert.Equal(expected.BuyVolume, actual.GetProperty("buyVolume").GetDouble());
            Assert.Equal(expected.SellVolume, actual.GetProperty("sellVolume").GetDouble());
            Assert.Equal(expected.Delta, actual.GetProperty("delta").GetDouble());
            Assert.Equal(expected.BuyVolume - expected.SellVolume, actual.GetProperty("delta").GetDouble());
        }
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.Clone();
    }
}
