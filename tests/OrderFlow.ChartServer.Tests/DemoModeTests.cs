using System.Net;
using System.Text.Json;
using OrderFlow.ChartServer.Tests.Infrastructure;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The README's one command: no Redis configured, so the synthetic feed and the sync engine run in process and fill
/// the in-memory store. Within ~20 s GC 1m has a year of history and live updates arrive.
/// </summary>
public sealed class DemoModeTests
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
            TimeSpan.FromSeconds(30));
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
        var candle = await client.NextCandleAsync(TimeSpan.FromSeconds(20));
        Assert.True(candle.GetProperty("close").GetDouble() > 0);
        for (var i = 0; i < 20 && !candle.TryGetProperty("delta", out _); i++)
        {
            candle = await client.NextCandleAsync(TimeSpan.FromSeconds(20));
        }

        Assert.True(candle.TryGetProperty("buyVolume", out _), candle.ToString());
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
