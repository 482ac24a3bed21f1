using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Databento.Replay;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Tests;

namespace OrderFlow.Databento.Tests.Replay;

public sealed class DbnReplaySourceTests : IDisposable
{
    private static readonly DateTimeOffset Day1Noon = DbnTestFiles.Day0.AddDays(1).AddHours(12);
    private static readonly DateTimeOffset AfterFixtures = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DbnTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Glbx(string schema) => Fixtures.Python($"GLBX.MDP3/test_data.{schema}.dbn.zst");

    [FixtureFact]
    public void Load_Ohlcv1mFixture_HistoryEqualsTheRecordsUnderRootES()
    {
        var source = DbnReplaySource.Load([Glbx("ohlcv-1m")], new DbnReplayOptions { StartTime = AfterFixtures }, TestMarket.Clock());

        Assert.Equal([Symbol.ES], source.Symbols);
        var contract = Assert.Single(source.Contracts);
        Assert.Equal(new DbnReplayContract(Symbol.ES, "ESH1", 5482, new DateOnly(2020, 12, 28), new DateOnly(2020, 12, 28)), contract);
        var history = source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10);
        Assert.Equal(4, history.Length);
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3704.75, 3702.5, 3704.75, 306), history[0]);
        Assert.Equal(Candle.Create(1609113660, 3704.75, 3705.0, 3704.0, 3704.0, 214), history[1]);
        Assert.Equal(Candle.Create(1609113780, 3704.5, 3704.5, 3703.0, 3703.0, 158), history[3]);

        // Coarser timeframes are aggregated from the minutes.
        var hour = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneHour, 10));
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3705.0, 3702.5, 3703.0, 306 + 214 + 192 + 158), hour);
    }

    [FixtureFact]
    public void Load_TradesFixture_BuildsOneMinuteCandlesWithOrderFlow()
    {
        // The four ESH1 trades of 2020-12-28 00:00:00.2–0.7: 3702.75 x1 B, 3702.75 x1 B, 3702.50 x1 A, 3702.75 x1 B
        // (side B = buy aggressor, A = sell aggressor): buy 3, sell 1.
        var source = DbnReplaySource.Load([Glbx("trades")], new DbnReplayOptions { StartTime = AfterFixtures }, TestMarket.Clock());

        var candle = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10));
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3702.75, 3702.5, 3702.75, 4, buyVolume: 3, sellVolume: 1), candle);
        Assert.Equal(2, candle.Delta);
        Assert.Equal(0, candle.UnknownVolume);
        Assert.Equal(4, source.RecordCount);

        // Coarser timeframes sum the flow.
        var day = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneDay, 10));
        Assert.Equal((4d, 3d, 1d), (day.Volume, day.BuyVolume, day.SellVolume));
    }

    [FixtureFact]
    public void Load_TbboFixture_GivesTheSameFlowCandlesAsTheTradesFixture()
    {
        var options = new DbnReplayOptions { StartTime = AfterFixtures };
        var trades = DbnReplaySource.Load([Glbx("trades")], options, TestMarket.Clock());
        var tbbo = DbnReplaySource.Load([Glbx("tbbo")], options, TestMarket.Clock());

        Assert.Equal(4, tbbo.RecordCount);
        foreach (var tf in new[] { Timeframe.OneMinute, Timeframe.FiveMinutes, Timeframe.OneHour })
        {
            Assert.Equal(trades.GetHistory(Symbol.ES, tf, 10), tbbo.GetHistory(Symbol.ES, tf, 10));
        }

        Assert.True(Assert.Single(tbbo.GetHistory(Symbol.ES, Timeframe.OneMinute, 10)).HasFlow);
    }

    [FixtureFact]
    public void Load_Mbp1Fixture_ReplaysOnlyTrades()
    {
        // The four records of this fixture are all book updates (action A): nothing to replay.
        var source = DbnReplaySource.Load([Glbx("mbp-1")], new DbnReplayOptions { StartTime = AfterFixtures }, TestMarket.Clock());
        Assert.Equal(0, source.RecordCount);
        Assert.Empty(source.Symbols);
    }

    [FixtureFact]
    public void Load_OhlcvFixture_HasNoFlow()
    {
        var source = DbnReplaySource.Load([Glbx("ohlcv-1m")], new DbnReplayOptions { StartTime = AfterFixtures }, TestMarket.Clock());
        Assert.All(source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10), c => Assert.Equal((false, c.Volume), (c.HasFlow, c.UnknownVolume)));
    }

    [FixtureFact]
    public void Load_OneSecondAndHourFixtures_AreServedAsMinutesAndHours()
    {
        var options = new DbnReplayOptions { StartTime = AfterFixtures };
        var seconds = DbnReplaySource.Load([Glbx("ohlcv-1s")], options, TestMarket.Clock());
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3702.75, 3702.5, 3702.5, 13 + 1 + 14 + 3), Assert.Single(seconds.GetHistory(Symbol.ES, Timeframe.OneMinute, 10)));

        var hours = DbnReplaySource.Load([Glbx("ohlcv-1h")], options, TestMarket.Clock());
        Assert.Equal(4, hours.GetHistory(Symbol.ES, Timeframe.OneHour, 10).Length);
        Assert.Empty(hours.GetHistory(Symbol.ES, Timeframe.OneMinute, 10));
        var fourHours = Assert.Single(hours.GetHistory(Symbol.ES, Timeframe.FourHours, 10));
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3719.75, 3697.25, 3717.75, 11891 + 14364 + 10784 + 8651), fourHours);
    }

    [FixtureFact]
    public void Load_EveryFixtureVersion_GivesTheSameCandles()
    {
        var options = new DbnReplayOptions { StartTime = AfterFixtures };
        string[] files = ["test_data.ohlcv-1m.dbn", "test_data.ohlcv-1m.v1.dbn.zst", "test_data.ohlcv-1m.v2.dbn.zst", "test_data.ohlcv-1m.v3.dbn.zst"];
        var candles = files.Select(f => DbnReplaySource.Load([Fixtures.Dbn(f)], options, TestMarket.Clock()))
            .Select(s => Assert.Single(s.Symbols) is var root ? s.GetHistory(root, Timeframe.OneMinute, 10) : []).ToList();
        Assert.Equal(2, candles[0].Length);
        Assert.All(candles, c => Assert.Equal(candles[0], c));
        Assert.Equal(372025, candles[0][0].Open); // these upstream files store 372025000000000 (SOURCE.md): 372025 in units of 1e-9
    }

    [Fact]
    public void Contracts_OnePerRootAndDay_MostVolumeAndNeverBack()
    {
        var source = DbnReplaySource.Load([_files.WriteGcRoll()], new DbnReplayOptions { StartTime = DbnTestFiles.Day0.AddDays(3) }, TestMarket.Clock());

        var day0 = DateOnly.FromDateTime(DbnTestFiles.Day0.UtcDateTime);
        Assert.Equal(
            // Trading dates: the bars from 23:00 UTC (17:00 Chicago, CST) on count for the next date, so the last
            // evening is the trading date after the files' last UTC day.
            [new DbnReplayContract(Symbol.GC, "GCZ6", DbnTestFiles.Gcz6, day0, day0), new DbnReplayContract(Symbol.GC, "GCG7", DbnTestFiles.Gcg7, day0.AddDays(1), day0.AddDays(3))],
            source.Contracts.Where(c => c.Root == Symbol.GC));
        Assert.Equal([Symbol.ES, Symbol.GC], source.Symbols.Order());

        var minutes = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 100_000);
        Assert.Equal(3 * 1440, minutes.Length);
        TestMarket.AssertValidSeries(minutes, Timeframe.OneMinute);
        Assert.All(minutes[..1380], c => Assert.InRange(c.Open, 2000, 2005)); // GCZ6 on day 0, until its session ends at 17:00 Chicago
        Assert.All(minutes[1380..], c => Assert.InRange(c.Open, 2020, 2025)); // GCG7 from day 1's session on, even when GCZ6 comes back on day 2
        Assert.Equal(4320 * 2, source.SkippedRecords); // the spread, and the contract not chosen each day
        Assert.Equal(72, source.GetHistory(Symbol.GC, Timeframe.OneHour, 1000).Length);
        Assert.Equal(3, source.GetHistory(Symbol.GC, Timeframe.OneDay, 1000).Length);
    }

    [Fact]
    public void Symbols_OnlyTheRootsAskedFor()
    {
        var source = DbnReplaySource.Load([_files.WriteGcRoll(compress: false, name: "parent.dbn")], new DbnReplayOptions { Symbols = [Symbol.ES] }, TestMarket.Clock());
        Assert.Equal([Symbol.ES], source.Symbols);
        Assert.Equal(4320, source.RecordCount);
    }

    [Fact]
    public void StartTime_IsTheReplayClock_AndSpeedScalesIt()
    {
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([_files.WriteGcRoll()], new DbnReplayOptions { StartTime = Day1Noon, Speed = 60 }, clock);

        Assert.Equal(Day1Noon, source.Now);
        var history = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 100_000);
        Assert.Equal(1440 + 720, history.Length);
        Assert.Equal(Day1Noon.AddMinutes(-1), history[^1].OpenTimeUtc);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Day1Noon.AddMinutes(10), source.Now);
        Assert.Equal(Day1Noon.AddMinutes(9), source.GetHistory(Symbol.GC, Timeframe.OneMinute, 1)[0].OpenTimeUtc);
    }

    [Fact]
    public async Task StreamAsync_ReplaysBarsInOrderAtTheSpeedFactor()
    {
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([_files.WriteGcRoll()], new DbnReplayOptions { StartTime = Day1Noon, Speed = 60, Symbols = [Symbol.GC] }, clock);

        // 60x: one minute of clock replays an hour.
        var events = await TestMarket.CollectAsync(source, clock, TimeSpan.FromMinutes(1), step: TimeSpan.FromSeconds(5));

        Assert.All(events, e => Assert.Equal((MarketDataEventKind.Candle, Symbol.GC, Timeframe.OneMinute), (e.Kind, e.Symbol, e.Timeframe)));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => Day1Noon.AddMinutes(i)), events.Select(e => e.Candle.OpenTimeUtc));
        Assert.All(events, e => Assert.InRange(e.Candle.Open, 2020, 2025));
    }

    [Fact]
    public async Task StreamAsync_Trades_AreTicksAndBuildLiveCandles()
    {
        var path = _files.WriteEsTrades(
            (TimeSpan.FromMilliseconds(100), 6000.25m, 2),
            (TimeSpan.FromSeconds(20), 6000.75m, 1),
            (TimeSpan.FromSeconds(40), 5999.75m, 3),
            (TimeSpan.FromSeconds(65), 6000.00m, 1),
            (TimeSpan.FromSeconds(130), 6001.00m, 4));
        var open = DbnTestFiles.Day0.AddHours(14.5);
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([path], new DbnReplayOptions { StartTime = open.AddSeconds(30), Speed = 10 }, clock);

        // History: the minute in progress, from the two trades before the start.
        Assert.Equal(Candle.Create(open.ToUnixTimeSeconds(), 6000.25, 6000.75, 6000.25, 6000.75, 3), Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10)));

        var events = await CollectUntilAsync(source, clock, TimeSpan.FromSeconds(1), e => e.Count(x => x.Kind == MarketDataEventKind.Tick) == 3);

        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => e.Tick).ToList();
        Assert.Equal(
            [new Tick(open.AddSeconds(40).ToUnixTimeMilliseconds(), 5999.75, 3), new Tick(open.AddSeconds(65).ToUnixTimeMilliseconds(), 6000.0, 1), new Tick(open.AddSeconds(130).ToUnixTimeMilliseconds(), 6001.0, 4)],
            ticks);
        var finals = events.Where(e => e.Kind == MarketDataEventKind.Candle).GroupBy(e => e.Candle.OpenTime).Select(g => g.Last().Candle).ToList();
        Assert.Equal(Candle.Create(open.ToUnixTimeSeconds(), 6000.25, 6000.75, 5999.75, 5999.75, 6), finals[0]);
        Assert.Equal(Candle.Create(open.ToUnixTimeSeconds() + 60, 5999.75, 6000.0, 5999.75, 6000.0, 1), finals[1]); // opens at the previous close
        Assert.Equal(3, finals.Count);
        Assert.Equal(finals, source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10));
    }

    [Fact]
    public async Task StreamAsync_SidedTrades_TicksCarryTheirSide_AndCandlesTheirFlow()
    {
        (TimeSpan After, decimal Price, uint Size, char Side)[] trades =
        [
            (TimeSpan.FromMilliseconds(100), 6000.25m, 2, 'B'),
            (TimeSpan.FromSeconds(20), 6000.75m, 5, 'A'),
            (TimeSpan.FromSeconds(40), 5999.75m, 3, 'A'),
            (TimeSpan.FromSeconds(50), 5999.75m, 7, 'N'),
            (TimeSpan.FromSeconds(65), 6000.00m, 1, 'B'),
            (TimeSpan.FromSeconds(70), 6000.25m, 4, 'B'),
            (TimeSpan.FromSeconds(130), 6001.00m, 4, 'A'),
            (TimeSpan.FromSeconds(135), 6001.25m, 6, 'N'),
        ];
        var path = _files.WriteEsSidedTrades(trades);
        var open = DbnTestFiles.Day0.AddHours(14.5);
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([path], new DbnReplayOptions { StartTime = open.AddSeconds(30), Speed = 10 }, clock);

        // History as of the start: the minute in progress, with the flow of its two trades so far.
        var first = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10));
        Assert.Equal((7d, 2d, 5d, -3d), (first.Volume, first.BuyVolume, first.SellVolume, first.Delta));

        var events = await CollectUntilAsync(source, clock, TimeSpan.FromSeconds(1), e => e.Count(x => x.Kind == MarketDataEventKind.Tick) == 6);

        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => e.Tick).ToList();
        Assert.Equal(trades[2..].Select(t => (open + t.After).ToUnixTimeMilliseconds()), ticks.Select(t => t.EventTimeMs));
        Assert.Equal([AggressorSide.Sell, AggressorSide.Unknown, AggressorSide.Buy, AggressorSide.Buy, AggressorSide.Sell, AggressorSide.Unknown], ticks.Select(t => t.Side));

        var history = source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10);
        Assert.Equal(3, history.Length);
        foreach (var candle in history)
        {
            var ofMinute = trades.Where(t => Timeframe.OneMinute.Floor((open + t.After).ToUnixTimeSeconds()) == candle.OpenTime).ToList();
            Assert.Equal(ofMinute.Sum(t => (double)t.Size), candle.Volume);
            Assert.Equal(candle.Volume, candle.BuyVolume + candle.SellVolume + candle.UnknownVolume);
            Assert.Equal(ofMinute.Sum(t => t.Side == 'B' ? (double)t.Size : t.Side == 'A' ? -(double)t.Size : 0), candle.Delta);
            Assert.Equal(ofMinute.Where(t => t.Side == 'N').Sum(t => (double)t.Size), candle.UnknownVolume);
        }

        Assert.Equal((2d, 8d, 7d), (history[0].BuyVolume, history[0].SellVolume, history[0].UnknownVolume));
        Assert.Equal((5d, 0d), (history[1].BuyVolume, history[1].SellVolume));
        Assert.Equal((0d, 4d, 6d), (history[2].BuyVolume, history[2].SellVolume, history[2].UnknownVolume));

        // The streamed final candles are the history's, flow included; a 5-minute candle sums the minutes' flow.
        var finals = events.Where(e => e.Kind == MarketDataEventKind.Candle).GroupBy(e => e.Candle.OpenTime).Select(g => g.Last().Candle).ToList();
        Assert.Equal(history, finals);
        var five = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.FiveMinutes, 10));
        Assert.Equal((history.Sum(c => c.Volume), 7d, 12d, -5d), (five.Volume, five.BuyVolume, five.SellVolume, five.Delta));
    }

    [Fact]
    public void Load_Mbp1Trades_AreSidedTicks_AndBookUpdatesAreIgnored()
    {
        var path = _files.WriteEsMbp1(
            (TimeSpan.FromSeconds(1), 6000.00m, 9, 'A', 'B'),      // a bid added: not a trade
            (TimeSpan.FromSeconds(2), 6000.25m, 2, 'T', 'B'),
            (TimeSpan.FromSeconds(3), 6000.00m, 1, 'T', 'A'),
            (TimeSpan.FromSeconds(4), 6000.00m, 5, 'C', 'A'),      // a cancel: not a trade
            (TimeSpan.FromSeconds(5), 6000.25m, 3, 'T', 'N'));
        var source = DbnReplaySource.Load([path], new DbnReplayOptions { StartTime = DbnTestFiles.Day0.AddDays(1) }, TestMarket.Clock());

        Assert.Equal(3, source.RecordCount);
        var candle = Assert.Single(source.GetHistory(Symbol.ES, Timeframe.OneMinute, 10));
        Assert.Equal(Candle.Create(DbnTestFiles.Day0.AddHours(14.5).ToUnixTimeSeconds(), 6000.25, 6000.25, 6000.0, 6000.25, 6, buyVolume: 2, sellVolume: 1), candle);
    }

    [Fact]
    public async Task Loop_StartsAgainAWholeDayLater()
    {
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([_files.WriteGcBars(3)], new DbnReplayOptions { Loop = true, Speed = 8640 }, clock); // a day in 10 s

        var events = (await CollectUntilAsync(source, clock, TimeSpan.FromSeconds(1), e => e.Count >= 9)).Take(9).ToList();

        var expected = Enumerable.Range(0, 9).Select(i => DbnTestFiles.Day0.AddDays(i / 3).AddMinutes(i % 3));
        Assert.Equal(expected, events.Select(e => e.Candle.OpenTimeUtc));
        Assert.Equal(events[0].Candle.Close, events[3].Candle.Close);
        Assert.Equal(events.Select(e => e.Candle), source.GetHistory(Symbol.GC, Timeframe.OneMinute, 100).Take(9));
    }

    [Fact]
    public async Task StreamAsync_WithoutLoop_EndsAfterTheLastRecord()
    {
        var clock = TestMarket.Clock();
        var source = DbnReplaySource.Load([_files.WriteGcBars(2)], new DbnReplayOptions { Speed = 1_000_000 }, clock);
        clock.Advance(TimeSpan.FromSeconds(1));
        var events = new List<MarketDataEvent>();
        await foreach (var e in source.StreamAsync().WithCancellation(new CancellationTokenSource(TestMarket.DefaultTimeout).Token))
        {
            events.Add(e);
        }

        Assert.Equal(2, events.Count);
    }

    [FixtureFact]
    public void Load_UnsupportedSchema_NamesTheFileAndTheSchema()
    {
        var path = Glbx("definition");
        var ex = Assert.Throws<DbnFormatException>(() => DbnReplaySource.Load([path]));
        Assert.StartsWith($"{path}: schema definition cannot be replayed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_NamesTheFileAndTheOffset()
    {
        var whole = File.ReadAllBytes(_files.WriteGcBars(3));
        var path = _files.Write("truncated.dbn", whole[..^10]);
        var ex = Assert.Throws<DbnFormatException>(() => DbnReplaySource.Load([path]));
        Assert.StartsWith($"{path}: ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset > 0);
        Assert.EndsWith($"(at byte offset {ex.Offset})", ex.Message, StringComparison.Ordinal);
        Assert.IsType<DbnFormatException>(ex.InnerException);
    }

    [Fact]
    public void Load_NotDbn_NamesTheFile()
    {
        var path = _files.Write("notes.txt", "symbol,time,price,size\nGC,1,2,3\n"u8.ToArray());
        var ex = Assert.Throws<DbnFormatException>(() => DbnReplaySource.Load([path]));
        Assert.StartsWith($"{path}: ", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => DbnReplaySource.Load([Path.Combine(_files.Dir, "missing.dbn.zst")]));
    }

    /// <summary>
    /// Advances the fake clock step by step, collecting what the stream sends, until <paramref name="done"/>: unlike
    /// <c>CollectAsync</c>, steps may have no events (a short real wait per step lets the stream react; a slow machine
    /// only makes it advance further before the events arrive, never lose or reorder them).
    /// </summary>
    private static async Task<List<MarketDataEvent>> CollectUntilAsync(DbnReplaySource source, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan step, Func<List<MarketDataEvent>, bool> done)
    {
        var events = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource();
        var enumerator = source.StreamAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = enumerator.MoveNextAsync().AsTask();
        var deadline = DateTime.UtcNow + TestMarket.DefaultTimeout;
        try
        {
            while (!done(events))
            {
                Assert.True(DateTime.UtcNow < deadline, $"timed out with {events.Count} events");
                clock.Advance(step);
                while (await Task.WhenAny(pending, Task.Delay(30)) == pending)
                {
                    if (!await pending)
                    {
                        return events;
                    }

                    events.Add(enumerator.Current);
                    pending = enumerator.MoveNextAsync().AsTask();
                }
            }

            return events;
        }
        finally
        {
            await cts.CancelAsync();
            try
            {
                await pending; // an event already on its way, the end of the stream, or the cancellation
            }
            catch (OperationCanceledException)
            {
            }

            await enumerator.DisposeAsync();
        }
    }
}
