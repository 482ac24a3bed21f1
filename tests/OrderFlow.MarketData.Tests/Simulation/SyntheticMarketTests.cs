using System.Diagnostics;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Tests.Simulation;

public class SyntheticMarketTests
{
    public static TheoryData<string> Symbols() => new(Symbol.Defaults.Select(s => s.Value));

    [Fact]
    public void GetHistory_SameSeedAndOrigin_IsIdentical()
    {
        var a = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.GC, Timeframe.OneMinute, 5_000);
        var b = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.GC, Timeframe.OneMinute, 5_000);
        Assert.Equal(a, b);
    }

    [Fact]
    public void GetHistory_OtherSeed_Differs()
    {
        var a = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.GC, Timeframe.OneMinute, 100);
        var b = TestMarket.Create(TestMarket.Clock(), o => o.Seed = 8).GetHistory(Symbol.GC, Timeframe.OneMinute, 100);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void GetHistory_GeneratedInChunksOrAtOnce_IsIdentical()
    {
        var stepwise = TestMarket.Create(TestMarket.Clock());
        stepwise.GetHistory(Symbol.CL, Timeframe.OneMinute, 10);
        stepwise.GetHistory(Symbol.CL, Timeframe.OneHour, 50);
        var deep = stepwise.GetHistory(Symbol.CL, Timeframe.OneMinute, 60_000);
        var direct = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.CL, Timeframe.OneMinute, 60_000);
        Assert.Equal(direct, deep);
    }

    [Theory]
    [MemberData(nameof(Symbols))]
    public void GetHistory_PricesAreOnTheTickGridNearTheReferencePrice(string name)
    {
        var symbol = Symbol.Parse(name);
        var spec = CandleRuleBook.DefaultContracts[symbol];
        var candles = TestMarket.Create(TestMarket.Clock()).GetHistory(symbol, Timeframe.OneMinute, 50_000);
        Assert.Equal(50_000, candles.Length);
        TestMarket.AssertValidSeries(candles, Timeframe.OneMinute);
        foreach (var c in candles)
        {
            foreach (var price in (double[])[c.Open, c.High, c.Low, c.Close])
            {
                var ticks = price / spec.TickSize;
                Assert.True(Math.Abs(ticks - Math.Round(ticks)) < 1e-6, $"{price} is off the {spec.TickSize} grid");
                Assert.InRange(price, spec.ReferencePrice * 0.6, spec.ReferencePrice * 1.4);
            }
        }

        // Adjacent minutes are continuous: each opens at the previous close.
        for (var i = 1; i < candles.Length; i++)
        {
            Assert.Equal(candles[i - 1].Close, candles[i].Open);
        }
    }

    [Fact]
    public void GetHistory_HasNoCandlesOutsideTradingHours()
    {
        var year = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.ES, Timeframe.OneMinute, 200_000);
        Assert.All(year, c => Assert.True(CmeTradingHours.IsOpen(c.OpenTime), $"{c} is outside trading hours"));
        Assert.Contains(year, c => c.OpenTimeUtc.DayOfWeek == DayOfWeek.Sunday);
        Assert.DoesNotContain(year, c => c.OpenTimeUtc.DayOfWeek == DayOfWeek.Saturday);
    }

    [Fact]
    public void GetHistory_AlwaysOpen_TradesOnSaturday()
    {
        var candles = TestMarket.Create(TestMarket.Clock(), o => o.AlwaysOpen = true).GetHistory(Symbol.GC, Timeframe.OneMinute, 10_000);
        Assert.Contains(candles, c => c.OpenTimeUtc.DayOfWeek == DayOfWeek.Saturday);
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("15m")]
    [InlineData("1h")]
    [InlineData("4h")]
    [InlineData("1d")]
    public void GetHistory_CoarseTimeframe_IsTheAggregateOfOneMinute(string tf)
    {
        var timeframe = Timeframe.Parse(tf);
        var market = TestMarket.Create(TestMarket.Clock());
        var coarse = market.GetHistory(Symbol.NQ, timeframe, 40);
        Assert.Equal(40, coarse.Length);
        var minutes = market.GetHistory(Symbol.NQ, Timeframe.OneMinute, 200_000).Where(c => c.OpenTime >= coarse[0].OpenTime).ToArray();
        Assert.Equal(CandleAggregation.Aggregate(minutes, Timeframe.OneMinute, timeframe)[^40..], coarse);
    }

    [Fact]
    public void GetHistory_OneDayDefaultDepth_ReachesAboutAYear()
    {
        var days = TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.GC, Timeframe.OneDay, 365);
        TestMarket.AssertValidSeries(days, Timeframe.OneDay);
        Assert.InRange(days.Length, 300, 365);
        Assert.True(TestMarket.Start - days[0].OpenTimeUtc > TimeSpan.FromDays(360));
    }

    [Fact]
    public void GetHistory_100kOneMinuteBars_TakesWellUnderASecond()
    {
        var market = TestMarket.Create(TestMarket.Clock());
        var watch = Stopwatch.StartNew();
        var candles = market.GetHistory(Symbol.GC, Timeframe.OneMinute, 100_000);
        watch.Stop();
        Assert.Equal(100_000, candles.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(0.5), $"first 100k answer took {watch.Elapsed}");
    }

    [Fact]
    public async Task StreamAsync_LiveTicksPassTheDefaultLiveRules()
    {
        var clock = TestMarket.Clock();
        var market = TestMarket.Create(clock, o => o.LiveTimeframes = [Timeframe.OneMinute, Timeframe.FiveMinutes]);
        var events = await TestMarket.CollectAsync(market, clock, TimeSpan.FromMinutes(30));

        foreach (var symbol in Symbol.Defaults)
        {
            var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick && e.Symbol == symbol).Select(e => e.Tick).ToList();
            Assert.InRange(ticks.Count, 30 * 120, 30 * 480);
            var series = new LiveCandleSeries(Timeframe.OneMinute, CandleRuleBook.Default.Get(symbol, Timeframe.OneMinute));
            series.Seed(market.GetHistory(symbol, Timeframe.OneMinute, 100_000).Where(c => c.OpenTimeUtc < TestMarket.Start).TakeLast(500).ToArray());
            foreach (var tick in ticks)
            {
                Assert.Equal(CandleRejection.None, series.ApplyTick(tick));
            }

            Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.First.EventTimeMs < p.Second.EventTimeMs), "ticks not ascending");
            var candles = events.Where(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == symbol).ToList();
            Assert.Contains(candles, e => e.Timeframe == Timeframe.OneMinute);
            Assert.Contains(candles, e => e.Timeframe == Timeframe.FiveMinutes);
        }
    }

    [Fact]
    public async Task StreamAsync_FinalLiveCandlesAppearInHistory()
    {
        var clock = TestMarket.Clock();
        var market = TestMarket.Create(clock);
        var events = await TestMarket.CollectAsync(market, clock, TimeSpan.FromMinutes(10));

        // The last update of each minute is its final state.
        var streamed = events.Where(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.SI)
            .GroupBy(e => e.Candle.OpenTime).Select(g => g.Last().Candle).OrderBy(c => c.OpenTime).ToArray();
        Assert.InRange(streamed.Length, 10, 11);
        var history = market.GetHistory(Symbol.SI, Timeframe.OneMinute, 30);
        var live = history.Where(c => c.OpenTimeUtc >= TestMarket.Start).ToArray();
        Assert.Equal(streamed, live);
        TestMarket.AssertValidSeries(history, Timeframe.OneMinute);
        Assert.Equal(history[^12].Close, history[^11].Open); // the first live minute carries on from history
    }

    [Fact]
    public async Task StreamAsync_CandlesAreBuiltFromTheTicks()
    {
        var clock = TestMarket.Clock();
        var market = TestMarket.Create(clock, o => o.Symbols = [Symbol.GC]);
        var events = await TestMarket.CollectAsync(market, clock, TimeSpan.FromMinutes(3));
        var minute = events.Where(e => e.Kind == MarketDataEventKind.Candle).GroupBy(e => e.Candle.OpenTime).Select(g => g.Last().Candle).First();
        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick && Timeframe.OneMinute.Contains(minute.OpenTime, e.Tick.EventTimeMs / 1000)).Select(e => e.Tick).ToList();
        Assert.Equal(ticks.Sum(t => t.Size), minute.Volume);
        Assert.Equal(ticks[^1].Price, minute.Close);
        Assert.Equal(Math.Max(minute.Open, ticks.Max(t => t.Price)), minute.High);
        Assert.Equal(Math.Min(minute.Open, ticks.Min(t => t.Price)), minute.Low);

        // Order flow: the candle's buy and sell volumes are the sums of its buy and sell ticks.
        Assert.Equal(ticks.Where(t => t.Side == AggressorSide.Buy).Sum(t => t.Size), minute.BuyVolume);
        Assert.Equal(ticks.Where(t => t.Side == AggressorSide.Sell).Sum(t => t.Size), minute.SellVolume);
        Assert.Equal(ticks.Where(t => t.Side == AggressorSide.Unknown).Sum(t => t.Size), minute.UnknownVolume);
    }

    [Fact]
    public async Task StreamAsync_TicksCarryAPlausibleDeterministicSide()
    {
        var clockA = TestMarket.Clock();
        var clockB = TestMarket.Clock();
        var a = await TestMarket.CollectAsync(TestMarket.Create(clockA, o => o.Symbols = [Symbol.ES]), clockA, TimeSpan.FromMinutes(20));
        var b = await TestMarket.CollectAsync(TestMarket.Create(clockB, o => o.Symbols = [Symbol.ES]), clockB, TimeSpan.FromMinutes(20));
        var ticks = a.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => e.Tick).ToList();
        Assert.Equal(ticks, b.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => e.Tick)); // the same seed: the same sides

        Assert.InRange(ticks.Count, 20 * 120, 20 * 480);
        var unknown = ticks.Count(t => t.Side == AggressorSide.Unknown) / (double)ticks.Count;
        Assert.InRange(unknown, 0.02, 0.09);
        var moves = ticks.Zip(ticks.Skip(1)).Select(p => (Move: Math.Sign(p.Second.Price - p.First.Price), p.Second.Side)).Where(m => m.Side != AggressorSide.Unknown).ToList();
        var upticks = moves.Where(m => m.Move > 0).ToList();
        var downticks = moves.Where(m => m.Move < 0).ToList();
        Assert.NotEmpty(upticks);
        Assert.NotEmpty(downticks);
        Assert.InRange(upticks.Count(m => m.Side == AggressorSide.Buy) / (double)upticks.Count, 0.7, 0.9);
        Assert.InRange(downticks.Count(m => m.Side == AggressorSide.Sell) / (double)downticks.Count, 0.7, 0.9);

        // Every live candle's flow adds up; the last updates of the minutes are the history's live minutes.
        var finals = a.Where(e => e.Kind == MarketDataEventKind.Candle).GroupBy(e => e.Candle.OpenTime).Select(g => g.Last().Candle).ToArray();
        Assert.All(finals, c => Assert.True(c.HasFlow && c.BuyVolume + c.SellVolume <= c.Volume, c.ToString()));
    }

    [Theory]
    [MemberData(nameof(Symbols))]
    public void GetHistory_CarriesOrderFlowThatFollowsThePrice(string name)
    {
        var symbol = Symbol.Parse(name);
        var candles = TestMarket.Create(TestMarket.Clock()).GetHistory(symbol, Timeframe.OneMinute, 20_000);
        Assert.All(candles, c => Assert.True(c.HasFlow && c.BuyVolume >= 0 && c.SellVolume >= 0 && c.UnknownVolume >= 0 && c.BuyVolume + c.SellVolume + c.UnknownVolume == c.Volume, c.ToString()));
        Assert.All(candles, c => Assert.True(c.BuyVolume == Math.Round(c.BuyVolume) && c.SellVolume == Math.Round(c.SellVolume), c.ToString())); // whole contracts

        var unknownShare = candles.Sum(c => c.UnknownVolume) / candles.Sum(c => c.Volume);
        Assert.InRange(unknownShare, 0.02, 0.08);
        var rising = candles.Where(c => c.Close > c.Open).ToList();
        var falling = candles.Where(c => c.Close < c.Open).ToList();
        Assert.True(rising.Average(c => c.Delta) > 0, "rising minutes are mostly bought");
        Assert.True(falling.Average(c => c.Delta) < 0, "falling minutes are mostly sold");

        // Coarser timeframes sum the flow of their minutes.
        var hour = TestMarket.Create(TestMarket.Clock()).GetHistory(symbol, Timeframe.OneHour, 3)[0];
        var ofHour = candles.Where(c => Timeframe.OneHour.Floor(c.OpenTime) == hour.OpenTime).ToList();
        Assert.Equal((ofHour.Sum(c => c.BuyVolume), ofHour.Sum(c => c.SellVolume)), (hour.BuyVolume, hour.SellVolume));
    }

    [Fact]
    public async Task StreamAsync_OverTheWeekend_SendsNothingUntilSundayEvening()
    {
        var clock = TestMarket.Clock(new DateTimeOffset(2024, 1, 5, 20, 58, 0, TimeSpan.Zero));
        var market = TestMarket.Create(clock, o => o.Symbols = [Symbol.GC]);
        var events = await TestMarket.CollectAsync(market, clock, TimeSpan.FromDays(2.1), step: TimeSpan.FromDays(2.1));
        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => DateTimeOffset.FromUnixTimeMilliseconds(e.Tick.EventTimeMs)).ToList();
        Assert.All(ticks, t => Assert.True(CmeTradingHours.IsOpen(t), $"tick at {t:O}"));
        Assert.Contains(ticks, t => t.DayOfWeek == DayOfWeek.Friday);
        Assert.Contains(ticks, t => t.DayOfWeek == DayOfWeek.Sunday);
    }

    [Fact]
    public void Now_RunsAtTheSpeedFactor()
    {
        var clock = TestMarket.Clock();
        var market = TestMarket.Create(clock, o => o.Speed = 60);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TestMarket.Start.AddMinutes(10), market.Now);
        var history = market.GetHistory(Symbol.GC, Timeframe.OneMinute, 20);
        Assert.Equal(TestMarket.Start.AddMinutes(10), history[^1].OpenTimeUtc.AddMinutes(1));
    }

    [Fact]
    public async Task StreamAsync_SecondConcurrentEnumeration_Throws()
    {
        var clock = TestMarket.Clock();
        var market = TestMarket.Create(clock);
        using var cts = new CancellationTokenSource();
        await using var first = market.StreamAsync(cts.Token).GetAsyncEnumerator();
        var pending = first.MoveNextAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in market.StreamAsync())
            {
            }
        });
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticMarket(new SyntheticMarketOptions { Speed = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticMarket(new SyntheticMarketOptions { TickInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions { Symbols = [Symbol.Parse("ZZ")] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestMarket.Create(TestMarket.Clock()).GetHistory(Symbol.GC, Timeframe.OneMinute, 0));
    }
}
