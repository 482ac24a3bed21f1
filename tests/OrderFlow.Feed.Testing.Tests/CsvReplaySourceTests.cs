using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Testing.Tests;

public class CsvReplaySourceTests
{
    // Tuesday 2 January 2024 14:00 UTC = 1704204000.
    private const string Recording = """
        # a recorded session: three GC minutes, then trades
        symbol,timeframe,time,open,high,low,close,volume
        GC,1m,1704204000000,2031.0,2031.5,2030.8,2031.2,500
        GC,1m,1704204060000,2031.2,2031.9,2031.1,2031.8,450
        GC,1m,2024-01-02T14:02:00Z,2031.8,2032.0,2031.4,2031.5,300
        symbol,time,price,size
        GC,1704204185000,2031.6,2
        GC,1704204190500,2031.9,1
        GC,1704204245000,2031.7,3
        SI,1704204186,25.105,4
        """;

    [Fact]
    public void Parse_ReadsCandlesAndTradesOfEverySymbol()
    {
        var source = CsvReplaySource.Parse(new StringReader(Recording), "session.csv", timeProvider: TestMarket.Clock());
        Assert.Equal([Symbol.GC, Symbol.SI], source.Symbols);
        Assert.Equal(7, source.RecordCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1704204060), source.First); // the first candle replays when it closes
        Assert.Empty(source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10));
    }

    [Fact]
    public void StartTime_RecordsBeforeItAreHistory()
    {
        var source = CsvReplaySource.Parse(new StringReader(Recording), "session.csv", new CsvReplayOptions { StartTime = DateTimeOffset.FromUnixTimeSeconds(1704204180) }, TestMarket.Clock());
        var history = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10);
        Assert.Equal([1704204000L, 1704204060, 1704204120], history.Select(c => c.OpenTime));
        Assert.Equal(2031.5, history[^1].Close);
    }

    [Fact]
    public async Task StreamAsync_ReplaysAtTheSpeedFactorAndBuildsCandlesFromTrades()
    {
        var clock = TestMarket.Clock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var source = CsvReplaySource.Parse(new StringReader(Recording), "session.csv", new CsvReplayOptions { Speed = 10 }, clock);

        // 10x: the four recorded minutes replay in about 24 s of clock time.
        var events = await TestMarket.CollectAsync(source, clock, TimeSpan.FromSeconds(25), step: TimeSpan.FromSeconds(25));

        var candles = events.Where(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC).Select(e => e.Candle).ToList();
        Assert.Equal(1704204000, candles[0].OpenTime);
        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).ToList();
        Assert.Equal(4, ticks.Count);
        Assert.Equal([1704204185000, 1704204186000, 1704204190500, 1704204245000], ticks.Select(e => e.Tick.EventTimeMs));

        var history = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10);
        Assert.Equal([1704204000L, 1704204060, 1704204120, 1704204180, 1704204240], history.Select(c => c.OpenTime));
        var built = history[3];
        Assert.Equal(2031.6, built.Open); // the first trade: built candles do not carry on from recorded ones
        Assert.Equal(2031.9, history[4].Open); // but carry on from each other
        Assert.Equal(2031.9, built.High);
        Assert.Equal(2031.9, built.Close);
        Assert.Equal(3, built.Volume);
        var fiveMinutes = source.GetHistory(Symbol.GC, Timeframe.FiveMinutes, 10);
        Assert.Equal(1704204000, Assert.Single(fiveMinutes).OpenTime);
    }

    [Fact]
    public async Task StreamAsync_EndsAfterTheLastRecord()
    {
        var clock = TestMarket.Clock();
        var source = CsvReplaySource.Parse(new StringReader("GC,1704204185000,2031.6,2\n"), "one.csv", timeProvider: clock);
        var events = new List<MarketDataEvent>();
        clock.Advance(TimeSpan.FromSeconds(1));
        await foreach (var e in source.StreamAsync().WithCancellation(new CancellationTokenSource(TestClient.DefaultTimeout).Token))
        {
            events.Add(e);
        }

        Assert.Equal(MarketDataEventKind.Tick, events[0].Kind);
        Assert.Equal(MarketDataEventKind.Candle, events[1].Kind);
    }

    [Fact]
    public void ShiftToNow_MovesTimesByWholeWeeks()
    {
        var now = new DateTimeOffset(2025, 3, 13, 9, 30, 0, TimeSpan.Zero);
        var source = CsvReplaySource.Parse(new StringReader(Recording), "session.csv", new CsvReplayOptions { ShiftToNow = true, StartTime = DateTimeOffset.FromUnixTimeSeconds(1704204180) }, TestMarket.Clock(now));
        var history = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10);
        var shift = history[0].OpenTimeUtc - DateTimeOffset.FromUnixTimeSeconds(1704204000);
        Assert.Equal(0, shift.Ticks % TimeSpan.FromDays(7).Ticks);
        Assert.InRange(now - source.Now, TimeSpan.Zero, TimeSpan.FromDays(7));
        Assert.Equal(DayOfWeek.Tuesday, history[0].OpenTimeUtc.DayOfWeek);
    }

    [Theory]
    [InlineData("GC,1m,1704204000000,2031.0,2031.5,2030.8,2031.2", 3, "expected 8 fields")]
    [InlineData("GC,1m,1704204000000,2031.0,abc,2030.8,2031.2,500", 3, "bad high 'abc'")]
    [InlineData("GC,2m,1704204000000,2031.0,2031.5,2030.8,2031.2,500", 3, "bad timeframe '2m'")]
    [InlineData("GC,1m,1704204030000,2031.0,2031.5,2030.8,2031.2,500", 3, "not aligned to 1m")]
    [InlineData("GC,1m,1704204000000,-1,2031.5,2030.8,2031.2,500", 3, "invalid candle (NonPositivePrice)")]
    [InlineData("GC,yesterday,2031.6,2", 3, "bad time 'yesterday'")]
    [InlineData("GC,1704204185000,0,2", 3, "price must be finite and greater than zero")]
    [InlineData("G C,1704204185000,2031.6,2", 3, "bad symbol 'G C'")]
    public void Load_BadLine_NamesTheFileAndTheLine(string badLine, int lineNumber, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orderflow-replay-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, $"symbol,time,price,size\nGC,1704204185000,2031.6,2\n{badLine}\nGC,1704204185000,2031.6,2\n");
        try
        {
            var ex = Assert.Throws<CsvFormatException>(() => CsvReplaySource.Load([path]));
            Assert.Equal(path, ex.FileName);
            Assert.Equal(lineNumber, ex.LineNumber);
            Assert.StartsWith($"{path}({lineNumber}): ", ex.Message, StringComparison.Ordinal);
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task FeedServer_ServesAReplay()
    {
        var clock = TestMarket.Clock();
        var source = CsvReplaySource.Parse(new StringReader(Recording), "session.csv", new CsvReplayOptions { StartTime = DateTimeOffset.FromUnixTimeSeconds(1704204180), ShiftToNow = false }, clock);
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source, TimeProvider = clock });
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        var history = await client.GetHistoryAsync(Symbol.GC, Timeframe.OneMinute, 100);
        Assert.Equal(3, history.Candles!.Length);

        clock.Advance(TimeSpan.FromSeconds(6));
        var tick = await client.ReceiveTypeAsync(FeedMessageType.Tick);
        Assert.Equal(1704204185000, tick.Tick.EventTimeMs);
        var error = await client.GetHistoryAsync(Symbol.GC, Timeframe.OneHour, 1);
        Assert.Equal(1704204000, error.Candles![0].OpenTime);
    }
}
