using OrderFlow.Candles;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests;

public class CandleRuleBookTests
{
    [Fact]
    public void Seed_HoldsTheSeedNumbers()
    {
        var r = CandleRules.Seed;
        Assert.Equal(15, r.MaxPriceMove);
        Assert.Equal(10, r.MaxWick);
        Assert.Equal(TimeSpan.FromHours(10), r.ContinuityGap);
        Assert.Equal(500, r.LiveBufferSize);
        Assert.Equal(TimeSpan.FromDays(365), r.HistoryWindow);
        Assert.Equal(RuleSet.Continuity | RuleSet.OutlierRejection, r.History);   // outlier rejection is new since the seed
        Assert.Equal(2, r.MaxOutlierRatio);
        Assert.Equal(RuleSet.All, r.Live);
    }

    [Fact]
    public void OutlierRejection_IsOnInHistoryForEveryDefaultContract_AndOffForUnknownSymbols()
    {
        foreach (var symbol in CandleRuleBook.Default.Symbols)
        {
            Assert.All(Timeframe.All, tf =>
            {
                var rules = CandleRuleBook.Default.Get(symbol, tf);
                Assert.Equal(2, rules.MaxOutlierRatio);   // a ratio: never scaled
                Assert.True((rules.History & RuleSet.OutlierRejection) != 0);
            });
        }

        Assert.True(double.IsPositiveInfinity(CandleRuleBook.Default.Fallback.MaxOutlierRatio));
        Assert.True(double.IsPositiveInfinity(CandleRules.Unlimited.MaxOutlierRatio));
    }

    [Fact]
    public void Default_GcOneMinute_IsTheSeed() =>
        Assert.Equal(CandleRules.Seed, CandleRuleBook.Default.Get(Symbol.GC, Timeframe.OneMinute));

    // The documented table (README and CandleRuleBook remarks): spike / wick per symbol and timeframe.
    [Theory]
    [InlineData("GC", "1m", 15, 10)]
    [InlineData("GC", "5m", 33.6, 22.4)]
    [InlineData("GC", "15m", 58.1, 38.8)]
    [InlineData("GC", "1h", 116.2, 77.5)]
    [InlineData("GC", "4h", 232.4, 155)]
    [InlineData("GC", "1d", 569.3, 379.5)]
    [InlineData("SI", "1m", 0.19, 0.125)]
    [InlineData("SI", "1h", 1.475, 0.97)]
    [InlineData("SI", "1d", 7.21, 4.745)]
    [InlineData("CL", "1m", 0.57, 0.38)]
    [InlineData("CL", "1h", 4.42, 2.95)]
    [InlineData("CL", "1d", 21.63, 14.42)]
    [InlineData("ES", "1m", 37.5, 25)]
    [InlineData("ES", "5m", 84, 56)]
    [InlineData("ES", "1h", 290.5, 193.75)]
    [InlineData("ES", "1d", 1423.25, 948.75)]
    [InlineData("NQ", "1m", 131.25, 87.5)]
    [InlineData("NQ", "1h", 1016.75, 678)]
    [InlineData("NQ", "1d", 4980.75, 3320.5)]
    public void Default_MatchesTheDocumentedTable(string symbol, string timeframe, double spike, double wick)
    {
        var rules = CandleRuleBook.Default.Get(Symbol.Parse(symbol), Timeframe.Parse(timeframe));
        Assert.Equal(spike, rules.MaxPriceMove, 9);
        Assert.Equal(wick, rules.MaxWick, 9);
        Assert.Equal(TimeSpan.FromHours(10), rules.ContinuityGap);
    }

    [Fact]
    public void Default_LimitsAreWholeTicks_AndGrowWithTimeframe()
    {
        foreach (var (symbol, spec) in CandleRuleBook.DefaultContracts)
        {
            double previous = 0;
            foreach (var tf in Timeframe.All)
            {
                var r = CandleRuleBook.Default.Get(symbol, tf);
                Assert.True(r.MaxPriceMove > previous, $"{symbol} {tf}");
                previous = r.MaxPriceMove;
                var ticks = r.MaxPriceMove / spec.TickSize;
                Assert.Equal(Math.Round(ticks), ticks, 6);
            }
        }
    }

    [Fact]
    public void UnknownSymbol_GetsTheFallback_WhichNeverRejects()
    {
        var rules = CandleRuleBook.Default.Get(Symbol.Parse("ZN"), Timeframe.OneMinute);
        Assert.Same(CandleRuleBook.Default.Fallback, rules);
        Assert.True(double.IsPositiveInfinity(rules.MaxPriceMove));
    }

    [Fact]
    public void Overrides_ReplaceOneEntry_OrAllTimeframes_OrTheFallback()
    {
        var book = CandleRuleBook.Default
            .With(Symbol.NQ, Timeframe.OneMinute, CandleRules.Seed with { MaxPriceMove = 200 })
            .With(Symbol.Parse("ZN"), CandleRules.Seed with { MaxPriceMove = 1, MaxWick = 0.5 })
            .WithScaled(Symbol.Parse("MGC"), CandleRules.Seed, 0.1)
            .WithFallback(CandleRules.Seed);

        Assert.Equal(200, book.Get(Symbol.NQ, Timeframe.OneMinute).MaxPriceMove);
        Assert.Equal(1016.75, book.Get(Symbol.NQ, Timeframe.OneHour).MaxPriceMove);
        Assert.Equal(1, book.Get(Symbol.Parse("ZN"), Timeframe.OneDay).MaxPriceMove);
        Assert.Equal(116.2, book.Get(Symbol.Parse("MGC"), Timeframe.OneHour).MaxPriceMove, 9);
        Assert.Equal(CandleRules.Seed, book.Get(Symbol.Parse("HG"), Timeframe.OneMinute));
        Assert.Equal(131.25, CandleRuleBook.Default.Get(Symbol.NQ, Timeframe.OneMinute).MaxPriceMove); // unchanged
        Assert.Contains(Symbol.Parse("MGC"), book.Symbols);
    }

    [Fact]
    public void With_InvalidRulesOrEmptySymbol_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CandleRuleBook.Default.With(Symbol.GC, CandleRules.Seed with { LiveBufferSize = 0 }));
        Assert.Throws<ArgumentException>(() => CandleRuleBook.Default.With(default, CandleRules.Seed));
    }

    [Theory]
    [InlineData(nameof(CandleRules.MaxPriceMove))]
    [InlineData(nameof(CandleRules.MaxWick))]
    [InlineData(nameof(CandleRules.MaxOutlierRatio))]
    [InlineData(nameof(CandleRules.ContinuityGap))]
    [InlineData(nameof(CandleRules.SpikeRecoveryCount))]
    [InlineData(nameof(CandleRules.HistoryWindow))]
    [InlineData(nameof(CandleRules.MaxFutureSkew))]
    [InlineData(nameof(CandleRules.LiveBufferSize))]
    [InlineData(nameof(CandleRules.History))]
    public void Validate_OutOfRange_NamesTheProperty(string property)
    {
        var bad = property switch
        {
            nameof(CandleRules.MaxPriceMove) => CandleRules.Seed with { MaxPriceMove = double.NaN },
            nameof(CandleRules.MaxWick) => CandleRules.Seed with { MaxWick = -0.5 },
            nameof(CandleRules.MaxOutlierRatio) => CandleRules.Seed with { MaxOutlierRatio = 1 },
            nameof(CandleRules.ContinuityGap) => CandleRules.Seed with { ContinuityGap = TimeSpan.FromHours(-1) },
            nameof(CandleRules.SpikeRecoveryCount) => CandleRules.Seed with { SpikeRecoveryCount = -1 },
            nameof(CandleRules.HistoryWindow) => CandleRules.Seed with { HistoryWindow = TimeSpan.Zero },
            nameof(CandleRules.MaxFutureSkew) => CandleRules.Seed with { MaxFutureSkew = TimeSpan.FromDays(-1) },
            nameof(CandleRules.LiveBufferSize) => CandleRules.Seed with { LiveBufferSize = 0 },
            _ => CandleRules.Seed with { History = (RuleSet)64 },
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(bad.Validate);
        Assert.Equal(property, ex.ParamName);
        Assert.Contains($"CandleRules.{property}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Validate_AnOutlierRatioOfOneOrLess_IsRefused(double ratio)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>((CandleRules.Seed with { MaxOutlierRatio = ratio }).Validate);
        Assert.Equal(nameof(CandleRules.MaxOutlierRatio), ex.ParamName);
        (CandleRules.Seed with { MaxOutlierRatio = 1.0001 }).Validate();
        (CandleRules.Seed with { MaxOutlierRatio = double.PositiveInfinity }).Validate();
    }

    [Fact]
    public void ScaleLimits_RoundsUpToWholeTicks_AndKeepsInfinity()
    {
        var scaled = CandleRules.Seed.ScaleLimits(0.0125, 0.005); // 15 × 0.0125 = 0.1875 → 0.19
        Assert.Equal(0.19, scaled.MaxPriceMove, 9);
        Assert.True(double.IsPositiveInfinity(CandleRules.Unlimited.ScaleLimits(3, 0.25).MaxWick));
        Assert.Throws<ArgumentOutOfRangeException>(() => CandleRules.Seed.ScaleLimits(0, 0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => CandleRules.Seed.ScaleLimits(1, double.NaN));
    }
}
