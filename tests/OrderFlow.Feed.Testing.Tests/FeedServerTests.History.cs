using System.Diagnostics;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing.Tests;

public partial class FeedServerTests
{
    public static TheoryData<string, string> SymbolsAndTimeframes()
    {
        var data = new TheoryData<string, string>();
        foreach (var symbol in Symbol.Defaults)
        {
            foreach (var timeframe in Timeframe.All)
            {
                data.Add(symbol.Value, timeframe.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SymbolsAndTimeframes))]
    public async Task GetHistory_EverySymbolAndTimeframe_RoundTrips(string symbolName, string timeframeName)
    {
        var symbol = Symbol.Parse(symbolName);
        var timeframe = Timeframe.Parse(timeframeName);
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);

        var answer = await client.GetHistoryAsync(symbol, timeframe, 250);

        Assert.Equal(FeedMessageType.HistoricalCandles, answer.Type);
        Assert.Equal(0, answer.RejectedCandles);
        var candles = answer.Candles!;
        Assert.Equal(250, candles.Length);
        TestMarket.AssertValidSeries(candles, timeframe);
        Assert.True(candles[^1].OpenTimeUtc <= TestMarket.Start, $"last candle {candles[^1]} is after the start");
        Assert.True(candles[^1].OpenTimeUtc + timeframe.Duration >= TestMarket.Start.AddDays(-3), "history does not reach the present");
        Assert.Equal(((SyntheticMarket)server.DataSource).GetHistory(symbol, timeframe, 250), candles);
    }

    [Theory]
    [InlineData("1m", 100_000)]
    [InlineData("5m", 50_000)]
    [InlineData("1h", 8_760)]
    public async Task GetHistory_BarsAbsentOrZero_UsesTheProtocolDefault(string tf, int expected)
    {
        var timeframe = Timeframe.Parse(tf);
        Assert.Equal(expected, FeedProtocol.DefaultHistoryBars(timeframe));
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);

        await client.SendTextAsync($$"""{"type":"get_history","symbol":"GC","timeframe":"{{tf}}"}""");
        var answer = await client.ReceiveTypeAsync(FeedMessageType.HistoricalCandles);

        // A year of history holds fewer hourly bars than the default asks for: all of it comes back.
        var available = ((SyntheticMarket)server.DataSource).GetHistory(Symbol.GC, timeframe, expected).Length;
        Assert.Equal(Math.Min(expected, available), answer.Candles!.Length);
        Assert.True(answer.Candles!.Length >= expected * 0.6);
    }

    [Fact]
    public async Task GetHistory_MoreThanTheCap_IsCapped()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock, o => o.MaxHistoryBars = 1_000);
        await using var client = await TestClient.ConnectAsync(server.Uri);

        var answer = await client.GetHistoryAsync(Symbol.CL, Timeframe.OneMinute, 5_000);

        Assert.Equal(1_000, answer.Candles!.Length);
    }

    [Fact]
    public async Task GetHistory_100kOneMinuteBars_ArrivesAsOneValidMessage()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);

        var watch = Stopwatch.StartNew();
        await client.RequestHistoryAsync(Symbol.GC, Timeframe.OneMinute, 100_000);
        var received = await client.ReceiveAsync();
        watch.Stop();

        var answer = received.Decode();
        Assert.Equal(FeedMessageType.HistoricalCandles, answer.Type);
        Assert.Equal(100_000, answer.Candles!.Length);
        Assert.Equal(0, answer.RejectedCandles);
        TestMarket.AssertValidSeries(answer.Candles, Timeframe.OneMinute);
        Assert.True(received.Payload.Length > 5_000_000, $"{received.Payload.Length} bytes");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"round trip took {watch.Elapsed}");
    }

    [Fact]
    public async Task GetHistory_AfterLiveMinutes_ContainsTheStreamedCandles()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        clock.Advance(TimeSpan.FromMinutes(5.5));

        // The update of the minute in progress comes last in the batch: once it is in, every earlier minute's final
        // update is too.
        var live = new List<FeedMessage>();
        var lastMinute = TestMarket.Start.AddMinutes(5).ToUnixTimeSeconds();
        live.Add(await client.ReceiveUntilAsync(m => m.Type == FeedMessageType.Candle && m.Symbol == Symbol.GC && m.Candle.OpenTime == lastMinute, skipped: live));
        await client.RequestHistoryAsync(Symbol.GC, Timeframe.OneMinute, 20);
        var answer = await client.ReceiveTypeAsync(FeedMessageType.HistoricalCandles, skipped: live);

        // Every minute streamed live (its last update) is in the answer, identical.
        var streamed = live.Where(m => m.Type == FeedMessageType.Candle && m.Symbol == Symbol.GC)
            .GroupBy(m => m.Candle.OpenTime).ToDictionary(g => g.Key, g => g.Last().Candle);
        Assert.InRange(streamed.Count, 5, 6);
        var history = answer.Candles!;
        TestMarket.AssertValidSeries(history, Timeframe.OneMinute);
        Assert.Equal(TestMarket.Start.AddMinutes(5), history[^1].OpenTimeUtc);
        foreach (var candle in history.Where(c => c.OpenTimeUtc >= TestMarket.Start))
        {
            Assert.Equal(streamed[candle.OpenTime], candle);
        }
    }

    [Fact]
    public async Task GetHistory_AfterAnOutage_ReturnsTheMissedMinutes()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using (var first = await TestClient.ConnectAsync(server.Uri))
        {
            var before = await first.GetHistoryAsync(Symbol.ES, Timeframe.OneMinute, 10);
            Assert.Equal(TestMarket.Start.AddMinutes(-1), before.Candles![^1].OpenTimeUtc);
            await server.WaitForConnectionCountAsync(1);
            Assert.Equal(1, server.Faults.DropConnections());
            await Assert.ThrowsAnyAsync<Exception>(async () => await first.ReceiveAsync());
        }

        await server.WaitForConnectionCountAsync(0);
        clock.Advance(TimeSpan.FromMinutes(7.5));
        await using var second = await TestClient.ConnectAsync(server.Uri);
        var after = await second.GetHistoryAsync(Symbol.ES, Timeframe.OneMinute, 10);

        var missed = after.Candles!.Where(c => c.OpenTimeUtc >= TestMarket.Start).ToArray();
        Assert.Equal(8, missed.Length); // 14:00 … 14:06 complete, 14:07 in progress
        Assert.Equal(Enumerable.Range(0, 8).Select(i => TestMarket.Start.AddMinutes(i)), missed.Select(c => c.OpenTimeUtc));
        TestMarket.AssertValidSeries(after.Candles!, Timeframe.OneMinute);
    }
}
