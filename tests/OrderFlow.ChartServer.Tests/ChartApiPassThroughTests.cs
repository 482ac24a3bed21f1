using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;

namespace OrderFlow.ChartServer.Tests;

/// <summary>The 1-year series is served as stored: never parsed, its ETag the store's version.</summary>
public sealed class ChartApiPassThroughTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Theory]
    [InlineData("GC", "1m")]
    [InlineData("NQ", "1m")]
    [InlineData("SI", "1d")]
    public async Task GetChart_CandlesArray_IsTheStoredValueByteForByte(string symbol, string timeframe)
    {
        var stored = await fixture.Store.LoadChartJsonAsync(Symbol.Parse(symbol), Timeframe.Parse(timeframe));

        var body = await Http.GetByteArrayAsync($"/api/chart/{symbol}/{timeframe}");

        var prefix = Encoding.UTF8.GetBytes($$"""{"symbol":"{{symbol}}","timeframe":"{{timeframe}}","candles":""");
        Assert.Equal(prefix, body[..prefix.Length]);
        // The stored bytes as they are, up to the whitespace the store leaves after the array (its write stamp).
        Assert.Equal(stored!.Json.Span.TrimEnd(" \t\r\n"u8).ToArray(), body[prefix.Length..^1]);
        Assert.Equal((byte)'}', body[^1]);
    }

    [Fact]
    public async Task GetChart_ETag_IsTheStoresVersion_StableWhileTheValueIsUnchanged()
    {
        await fixture.Store.SaveChartAsync(Symbol.ES, Timeframe.FourHours, TestCandles.Series(Timeframe.FourHours, 300, 5000));
        var version = (await fixture.Store.LoadChartJsonAsync(Symbol.ES, Timeframe.FourHours))!.Version;

        var first = await ETagAsync();
        await Task.Delay(300); // past the cache window (200 ms): the store is read again
        await fixture.Store.SaveChartAsync(Symbol.ES, Timeframe.FourHours, TestCandles.Series(Timeframe.FourHours, 300, 5000)); // same bytes
        var second = await ETagAsync();

        Assert.Equal($"W/\"c1-{version.ToString("x32", CultureInfo.InvariantCulture)}\"", first.ToString());
        Assert.Equal(first, second);

        async Task<EntityTagHeaderValue> ETagAsync()
        {
            using var response = await Http.GetAsync("/api/chart/ES/4h");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.ETag!;
        }
    }

    [Fact]
    public async Task GetChart_Head_HasTheLengthOfTheEnvelopedValue_AndNoBody()
    {
        var stored = await fixture.Store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute);
        using var request = new HttpRequestMessage(HttpMethod.Head, "/api/chart/GC/1m");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"symbol":"GC","timeframe":"1m","candles":""".Length + stored!.Json.Span.TrimEnd(" \t\r\n"u8).Length + 1, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
