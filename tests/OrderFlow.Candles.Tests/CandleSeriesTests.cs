using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.Candles.Sessions;
using static OrderFlow.Candles.Tests.TestData;

namespace OrderFlow.Candles.Tests;

public class CandleSeriesTests
{
    private static readonly long NowSeconds = Now.ToUnixTimeSeconds();

    private static NormalizedSeries Normalize(CandleRules rules, params RawCandle[] input) =>
        CandleSeries.Normalize(input, Timeframe.OneMinute, rules, Now);

    private static RawCandle R(long time, double o, double h, double l, double c, double v = 1) => new(time, o, h, l, c, v);

    [Fact]
    public void Normalize_MillisecondTimes_BecomeSecondsFlooredToTheMinute()
    {
        var t = NowSeconds - 3600;
        var result = Normalize(CandleRules.Seed, R((t + 42) * 1000 + 500, 10, 11, 9, 10));
        Assert.Equal(t, Assert.Single(result.Candles).OpenTime);
    }

    [Fact]
    public void Normalize_UnsortedAndDuplicated_IsAscendingWithLaterInputWinning()
    {
        var t = NowSeconds - 3600;
        var result = Normalize(
            CandleRules.Seed with { History = RuleSet.None },
            R(t + 120, 12, 12, 12, 12, 3),
            R(t, 10, 10, 10, 10, 1),
            R(t + 60, 11, 11, 11, 11, 2),
            R(t + 5, 99, 99, 99, 99, 9)); // same minute as t: later input wins

        Assert.Equal([t, t + 60, t + 120], result.Candles.Select(c => c.OpenTime));
        Assert.Equal(99, result.Candles[0].Close);
        Assert.Equal(9, result.Candles[0].Volume);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(4, result.InputCount);
    }

    [Fact]
    public void Normalize_InvalidCandles_AreRejectedAndCountedByReason()
    {
        var t = NowSeconds - 3600;
        var result = Normalize(
            CandleRules.Seed,
            R(t, double.NaN, 1, 1, 1),
            R(t + 60, 0, 1, 1, 1),
            R(t + 120, 1, 1, 1, 1, -3),
            R(-7, 1, 1, 1, 1),
            R(t + 180, 1, 1, 1, 1));

        Assert.Single(result.Candles);
        Assert.Equal(1, result.Rejections[CandleRejection.NonFinitePrice]);
        Assert.Equal(1, result.Rejections[CandleRejection.NonPositivePrice]);
        Assert.Equal(1, result.Rejections[CandleRejection.InvalidVolume]);
        Assert.Equal(1, result.Rejections[CandleRejection.TimeOutOfRange]);
        Assert.Equal(4, result.Rejections.Total);
        Assert.Contains("NonFinitePrice=1", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_Keeps365DaysRelativeToNow()
    {
        var edge = NowSeconds - (365L * 86400);
        var result = Normalize(CandleRules.Seed, R(edge - 60, 1, 1, 1, 1), R(edge, 2, 2, 2, 2), R(NowSeconds, 3, 3, 3, 3));
        Assert.Equal([edge, NowSeconds], result.Candles.Select(c => c.OpenTime));
        Assert.Equal(1, result.Rejections[CandleRejection.OutsideWindow]);
    }

    [Fact]
    public void Normalize_WindowIsConfigurable_AndNowComesFromATimeProvider()
    {
        var clock = new FakeTimeProvider(Now);
        var rules = CandleRules.Seed with { HistoryWindow = TimeSpan.FromDays(1) };
        var input = new[] { R(NowSeconds - 86400 - 60, 1, 1, 1, 1), R(NowSeconds - 60, 1, 1, 1, 1) };
        Assert.Single(CandleSeries.Normalize(input, Timeframe.OneMinute, rules, clock.GetUtcNow()).Candles);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty(CandleSeries.Normalize(input, Timeframe.OneMinute, rules, clock.GetUtcNow()).Candles);
    }

    [Fact]
    public void Normalize_FarFuture_IsRejectedAsInFuture()
    {
        var result = Normalize(CandleRules.Seed, R(NowSeconds + (2 * 86400), 1, 1, 1, 1), R(NowSeconds + 3600, 1, 1, 1, 1));
        Assert.Single(result.Candles);
        Assert.Equal(1, result.Rejections[CandleRejection.InFuture]);
    }

    [Fact]
    public void Normalize_Continuity_OpenIsPreviousCloseWithinTenHours()
    {
        var t = NowSeconds - 86400;
        var result = Normalize(
            CandleRules.Seed,
            R(t, 2000, 2001, 1999, 2000.5),
            R(t + 60, 2003, 2004, 2002.5, 2003.5)); // opens 2.5 away from the previous close

        var second = result.Candles[1];
        Assert.Equal(2000.5, second.Open);
        Assert.Equal(2000.5, second.Low); // extended to stay valid
        Assert.Equal(2004, second.High);
        Assert.Equal(2003.5, second.Close);
    }

    [Fact]
    public void Normalize_Continuity_GapOfExactlyTenHoursHolds_LongerGapBreaks()
    {
        var t = NowSeconds - (3 * 86400);
        var tenHours = 10 * 3600;
        var result = Normalize(
            CandleRules.Seed,
            R(t, 2000, 2000, 2000, 2000),
            R(t + 60 + tenHours, 2010, 2010, 2010, 2010),              // gap of exactly 10 h after the first candle ends
            R(t + 60 + tenHours + 60 + tenHours + 60, 2020, 2020, 2020, 2020)); // 10 h 1 min: continuity breaks

        Assert.Equal(2000, result.Candles[1].Open);
        Assert.Equal(2020, result.Candles[2].Open);
    }

    [Fact]
    public void Normalize_HistoryDefaults_DoNotClampWicks_ButCanBeAskedTo()
    {
        var t = NowSeconds - 3600;
        var spiky = R(t, 2000, 2050, 1950, 2001);
        Assert.Equal(2050, Normalize(CandleRules.Seed, spiky).Candles[0].High);

        var clamped = Normalize(CandleRules.Seed with { History = RuleSet.Continuity | RuleSet.WickClamp }, spiky).Candles[0];
        Assert.Equal(2011, clamped.High);
        Assert.Equal(1990, clamped.Low);
    }

    [Fact]
    public void Normalize_HistorySpikeRejection_DropsIsolatedSpike_KeepsConfirmedMove()
    {
        var t = NowSeconds - 86400;
        var rules = CandleRules.Seed with { History = RuleSet.SpikeRejection };
        var result = Normalize(
            rules,
            R(t, 2000, 2000, 2000, 2000),
            R(t + 60, 2100, 2100, 2100, 2100),   // isolated spike
            R(t + 120, 2001, 2001, 2001, 2001),
            R(t + 180, 2050, 2050, 2050, 2050),  // a genuine move: three agreeing prices
            R(t + 240, 2051, 2051, 2051, 2051),
            R(t + 300, 2052, 2052, 2052, 2052));

        Assert.Equal([2000, 2001, 2050, 2051, 2052], result.Candles.Select(c => c.Close));
        Assert.Equal(1, result.Rejections[CandleRejection.Spike]);
    }

    [Fact]
    public void Normalize_SessionAlignment_FloorsDailyCandlesToTheSession()
    {
        var cme = CandleAlignment.CmeGlobex();
        var monday = new DateTimeOffset(2024, 5, 6, 15, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(); // 10:00 CDT
        var result = CandleSeries.Normalize([R(monday, 1, 1, 1, 1)], Timeframe.OneDay, CandleRules.Seed, Now, cme);
        Assert.Equal(new DateTimeOffset(2024, 5, 5, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), result.Candles[0].OpenTime);
    }

    [Fact]
    public void Merge_NewerSourceWinsOnTheSameTime()
    {
        var t = NowSeconds - 3600;
        var history = new[] { Flat(t, 10, 1), Flat(t + 60, 11, 1) };
        var live = new[] { Flat(t + 60, 12, 5), Flat(t + 120, 13, 1) };
        var merged = CandleSeries.Merge(history, live, Timeframe.OneMinute, CandleRules.Seed with { History = RuleSet.None }, Now);
        Assert.Equal([10, 12, 13], merged.Candles.Select(c => c.Close));
        Assert.Equal(5, merged.Candles[1].Volume);
    }

    [Fact]
    public void Normalize_DefaultCandleInput_IsRejectedNotThrown()
    {
        var result = CandleSeries.Normalize(new Candle[] { default, Flat(NowSeconds - 60, 1) }, Timeframe.OneMinute, CandleRules.Seed, Now);
        Assert.Single(result.Candles);
        Assert.Equal(1, result.Rejections[CandleRejection.NonPositivePrice]);
    }

    [Fact]
    public void Normalize_SparseInputOverAYear_UsesTheSortPathAndAgreesWithTheDensePath()
    {
        // A handful of candles spread over a year takes the comparison-sort path; a dense series the slot path.
        var rng = new Random(7);
        var times = Enumerable.Range(0, 50).Select(_ => NowSeconds - rng.NextInt64(0, 365L * 86400)).ToArray();
        var input = times.Select((t, i) => R(t, 100 + i, 101 + i, 99 + i, 100.5 + i)).ToArray();
        var sparse = CandleSeries.Normalize(input, Timeframe.OneMinute, CandleRules.Seed, Now);
        var dense = CandleSeries.Normalize(input, Timeframe.OneDay, CandleRules.Seed, Now);
        Assert.True(sparse.Candles.Zip(sparse.Candles.Skip(1)).All(p => p.First.OpenTime < p.Second.OpenTime));
        Assert.True(dense.Candles.Zip(dense.Candles.Skip(1)).All(p => p.First.OpenTime < p.Second.OpenTime));
        Assert.Equal(times.Select(t => t - (t % 60)).Distinct().Count(), sparse.Candles.Length);
    }

    [Fact]
    public void Normalize_IntoBuffer_WritesTheSeries_AndRefusesATooSmallBuffer()
    {
        var t = NowSeconds - 3600;
        RawCandle[] input = [R(t + 60, 11, 11, 11, 11), R(t, 10, 10, 10, 10), R(t + 60, 12, 12, 12, 12), R(t, double.NaN, 1, 1, 1)];
        var buffer = new Candle[input.Length];
        var rejections = new CandleRejectionCounts();
        var written = CandleSeries.Normalize(input, buffer, Timeframe.OneMinute, CandleRules.Seed, Now, rejections: rejections);
        Assert.Equal(2, written);
        Assert.Equal([10.0, 12.0], buffer[..written].Select(c => c.Close));
        Assert.Equal(10, buffer[1].Open); // continuity
        Assert.Equal(1, rejections[CandleRejection.NonFinitePrice]);
        Assert.Throws<ArgumentException>(() => CandleSeries.Normalize(input, new Candle[1], Timeframe.OneMinute, CandleRules.Seed, Now));
    }

    [Fact]
    public void Normalize_IntoBuffer_AllocatesNothingOnceWarm()
    {
        var t = NowSeconds - 86400;
        var input = Enumerable.Range(0, 1000).Select(i => R((t + (i * 60)) * 1000, 100 + (i % 7), 101 + (i % 7), 99 + (i % 7), 100 + (i % 7))).Reverse().ToArray();
        var buffer = new Candle[input.Length];
        var rejections = new CandleRejectionCounts();
        CandleSeries.Normalize(input, buffer, Timeframe.OneMinute, CandleRules.Seed, Now, rejections: rejections);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = CandleSeries.Normalize(input, buffer, Timeframe.OneMinute, CandleRules.Seed, Now, rejections: rejections);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, written);
    }

    [Fact]
    public void ClampWicks_NegativeLimit_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CandleSeries.ClampWicks(Span<Candle>.Empty, -1));

    [Fact]
    public void Normalize_InvalidRules_ThrowsNamingTheProperty()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Normalize(CandleRules.Seed with { MaxWick = -1 }));
        Assert.Equal("MaxWick", ex.ParamName);
    }

    [Fact]
    public void Union_NewerWinsOnTheSameTime_AscendingOut()
    {
        static Candle Bar(long minute, double close) => Candle.Create(1_704_067_200 + (minute * 60), close, close, close, close, 1);
        Assert.Equal([Bar(0, 1), Bar(1, 2), Bar(2, 2), Bar(3, 1)], CandleSeries.Union([Bar(0, 1), Bar(1, 1), Bar(3, 1)], [Bar(1, 2), Bar(2, 2)]));
        Assert.Equal([Bar(0, 1)], CandleSeries.Union([Bar(0, 1)], []));
        Assert.Empty(CandleSeries.Union([], []));

        // Unsorted or duplicated input: the same union, a later candle of one input winning over an earlier one.
        Assert.Equal([Bar(0, 3), Bar(1, 2), Bar(2, 1)], CandleSeries.Union([Bar(2, 1), Bar(0, 1), Bar(0, 3)], [Bar(1, 2)]));
    }
}
