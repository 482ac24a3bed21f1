using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="CandleSeries.RejectOutliers"/>.</summary>
[Properties(Arbitrary = new[] { typeof(OutlierArbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class OutlierProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property ARealisticSeries_LosesNothing(RealisticSeries input)
    {
        // A random walk of under 5 % a bar, wicks under 2 %: at most about ×1.25 between a bar and its neighbours' level.
        var series = input.Candles.ToArray();
        var counts = new CandleRejectionCounts();
        var kept = CandleSeries.RejectOutliers(series, 2.0, counts);
        return Prop.ToProperty(() =>
            {
                Assert.Equal(input.Candles.Length, kept);
                Assert.Equal(input.Candles, series);
                Assert.Equal(0, counts.Total);
            })
            .Classify(input.Candles.Length < 3, "shorter than 3");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property OneCorruptBar_IsTheOnlyOneRemoved(CorruptedSeries input)
    {
        // The whole bar shifted by 10^k (a decimal shift, a unit error, a garbage number), anywhere in the series.
        var series = input.Candles.ToArray();
        var counts = new CandleRejectionCounts();
        var kept = CandleSeries.RejectOutliers(series, 2.0, counts);
        var expected = input.Candles.Where((_, i) => i != input.CorruptAt).ToArray();
        return Prop.ToProperty(() =>
            {
                Assert.Equal(expected, series.AsSpan(0, kept).ToArray());
                Assert.Equal(1, counts[CandleRejection.Outlier]);
                Assert.Equal(1, counts.Total);
            })
            .Classify(input.Exponent > 0, "shifted up")
            .Classify(input.CorruptAt == 0 || input.CorruptAt == input.Candles.Length - 1, "at an end");
    }
}

/// <summary>An ascending series that moves less than 5 % a bar, at any price level.</summary>
public sealed record RealisticSeries(Candle[] Candles)
{
    /// <inheritdoc/>
    public override string ToString() => $"n={Candles.Length}{Describe.Items(Candles)}";
}

/// <summary>A realistic series of at least 3 candles in which the candle at <see cref="CorruptAt"/> is shifted by 10^<see cref="Exponent"/>.</summary>
public sealed record CorruptedSeries(Candle[] Candles, int CorruptAt, int Exponent)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"corrupt [{CorruptAt}] ×1e{Exponent} n={Candles.Length}{Describe.Items(Candles)}");
}

/// <summary>The FsCheck arbitraries of <see cref="OutlierProperties"/>.</summary>
public static class OutlierArbitraries
{
    /// <summary>Realistic series of 0 to about 200 candles.</summary>
    public static Arbitrary<RealisticSeries> RealisticSeries() =>
        Arb.From(
            Walk(Gen.Choose(0, 200)).Select(c => new RealisticSeries(c)),
            s => Shrink.Array(s.Candles).Select(c => new RealisticSeries(c)));

    /// <summary>Realistic series with one candle shifted by 10^k, k in ±[1, 300].</summary>
    public static Arbitrary<CorruptedSeries> CorruptedSeries() =>
        Arb.From(
            from candles in Walk(Gen.Choose(3, 200))
            from at in Gen.Choose(0, candles.Length - 1)
            from magnitude in Gen.Frequency((3, Gen.Choose(1, 3)), (2, Gen.Choose(1, 300)))
            from up in Gens.Percent(50)
            select Corrupt(candles, at, up ? magnitude : -magnitude));

    private static CorruptedSeries Corrupt(Candle[] candles, int at, int exponent)
    {
        var shifted = candles.ToArray();
        var c = candles[at];

        // As far as a double goes: up to 1e307, down to 1e-300 (a normal number).
        exponent = exponent > 0
            ? Math.Min(exponent, (int)Math.Floor(Math.Log10(1e307 / c.High)))
            : Math.Max(exponent, -(int)Math.Floor(Math.Log10(c.Low / 1e-300)));
        var factor = Math.Pow(10, exponent);
        shifted[at] = Candle.Create(c.OpenTime, c.Open * factor, c.High * factor, c.Low * factor, c.Close * factor, c.Volume);
        return new CorruptedSeries(shifted, at, exponent);
    }

    /// <summary>
    /// A random walk of 1-minute candles with gaps: each close within 5 % of the previous one, each open within 1 % of
    /// the previous close, wicks within 2 % beyond the body, from a start price between 0.01 and 1,000,000.
    /// </summary>
    private static Gen<Candle[]> Walk(Gen<int> length) =>
        from n in length
        from start in Gen.Choose(-2, 6).Select(e => Math.Pow(10, e))
        from steps in Gen.ArrayOf(
            from move in Gen.Choose(-4_999, 4_999)
            from gap in Gen.Choose(-100, 100)
            from high in Gen.Choose(0, 200)
            from low in Gen.Choose(0, 200)
            from skip in Gen.Frequency((9, Gen.Constant(1)), (1, Gen.Choose(2, 600)))
            select (Move: move / 100_000.0, Gap: gap / 10_000.0, High: high / 10_000.0, Low: low / 10_000.0, Skip: skip),
            n)
        select Build(start, steps);

    private static Candle[] Build(double start, (double Move, double Gap, double High, double Low, int Skip)[] steps)
    {
        var candles = new Candle[steps.Length];
        var close = start;
        var time = PropertySettings.NowSeconds - (86_400L * 30);
        for (var i = 0; i < steps.Length; i++)
        {
            var (move, gap, high, low, skip) = steps[i];
            var open = close * (1 + gap);
            close *= 1 + move;
            time += 60L * skip;
            candles[i] = Candle.Create(time, open, Math.Max(open, close) * (1 + high), Math.Min(open, close) * (1 - low), close, 1);
        }

        return candles;
    }
}
