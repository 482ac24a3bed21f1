namespace OrderFlow.Candles.Tests;

public class RejectOutliersTests
{
    private const long Start = 1_780_000_000 / 60 * 60;

    /// <summary>Flat bars (open = high = low = close) a minute apart, at the given closes.</summary>
    private static Candle[] Bars(params double[] closes) =>
        [.. closes.Select((c, i) => Candle.Create(Start + (60L * i), c, c, c, c, 1))];

    private static (double[] Kept, CandleRejectionCounts Counts) Run(Candle[] series, double ratio = 2.0)
    {
        var counts = new CandleRejectionCounts();
        var n = CandleSeries.RejectOutliers(series, ratio, counts);
        return ([.. series.AsSpan(0, n).ToArray().Select(c => c.Close)], counts);
    }

    [Fact]
    public void ABarAt1e308_IsRejected_AndCounted()
    {
        var (kept, counts) = Run(Bars(2000, 2000.5, 2001, 1e308, 2001.5, 2002, 2002.5));
        Assert.Equal([2000, 2000.5, 2001, 2001.5, 2002, 2002.5], kept);
        Assert.Equal(1, counts[CandleRejection.Outlier]);
        Assert.Equal("Outlier=1", counts.ToString());
    }

    [Fact]
    public void ABarAtAThousandthOfTheLevel_IsRejected()
    {
        var (kept, counts) = Run(Bars(2000, 2001, 2002, 2.003, 2004, 2005, 2006));
        Assert.Equal([2000, 2001, 2002, 2004, 2005, 2006], kept);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void AWickSpike_IsRejected_ThoughItsCloseIsAtTheLevel()
    {
        var series = Bars(2000, 2000, 2000, 2000, 2000, 2000);
        series[2] = Candle.Create(series[2].OpenTime, 2000, 1e308, 2000, 2000, 1);
        series[4] = Candle.Create(series[4].OpenTime, 2000, 2000, 0.002, 2000, 1);
        var (kept, counts) = Run(series);
        Assert.Equal(4, kept.Length);
        Assert.Equal(2, counts[CandleRejection.Outlier]);
    }

    [Fact]
    public void AGenuineShiftOf30Percent_ThatPersists_IsKept()
    {
        double[] closes = [2000, 2001, 1999, 2000, 2002, 2600, 2601, 2603, 2599, 2600, 2602];
        var (kept, counts) = Run(Bars(closes));
        Assert.Equal(closes, kept);
        Assert.Equal(0, counts.Total);
    }

    [Fact]
    public void TwoAdjacentBadBars_AreBothRejected()
    {
        var (kept, counts) = Run(Bars(2000, 2000, 2000, 2000, 1e308, 20_000, 2000, 2000, 2000, 2000));
        Assert.Equal(Enumerable.Repeat(2000.0, 8), kept);
        Assert.Equal(2, counts[CandleRejection.Outlier]);

        (kept, _) = Run(Bars(2000, 2000, 2000, 0.2, 2.0, 2000, 2000, 2000));
        Assert.Equal(Enumerable.Repeat(2000.0, 6), kept);
    }

    [Fact]
    public void ABadBarAtEitherEnd_IsRejected()
    {
        var (kept, _) = Run(Bars(1e308, 2000, 2001, 2002));
        Assert.Equal([2000, 2001, 2002], kept);
        (kept, _) = Run(Bars(2000, 2001, 2002, 2.002));
        Assert.Equal([2000, 2001, 2002], kept);
    }

    [Fact]
    public void SeriesOfFewerThanThreeBars_KeepEverything_ForWantOfNeighbours()
    {
        Assert.Empty(Run([]).Kept);
        Assert.Equal([1e308], Run(Bars(1e308)).Kept);
        Assert.Equal([2000, 1e308], Run(Bars(2000, 1e308)).Kept);
        Assert.Equal(0, Run(Bars(2000, 1e308)).Counts.Total);

        // Three bars: each has two neighbours, and the one that disagrees with both goes.
        Assert.Equal([2000, 2001], Run(Bars(2000, 1e308, 2001)).Kept);
        Assert.Equal([2000, 2001], Run(Bars(1e308, 2000, 2001)).Kept);
    }

    [Fact]
    public void TheRatio_IsConfigurable_AndInfinityKeepsEverything()
    {
        double[] closes = [2000, 2000, 2000, 2500, 2000, 2000, 2000];
        Assert.Equal(closes, Run(Bars(closes)).Kept);
        Assert.Equal(6, Run(Bars(closes), 1.2).Kept.Length);
        Assert.Equal([2000, 1e308, 2000], Run(Bars(2000, 1e308, 2000), double.PositiveInfinity).Kept);
    }

    [Fact]
    public void TheCounts_AreOptional_AndAddUp()
    {
        var series = Bars(2000, 2000, 1e308, 2000, 2000);
        Assert.Equal(4, CandleSeries.RejectOutliers(series, 2.0));

        var counts = new CandleRejectionCounts();
        CandleSeries.RejectOutliers(Bars(2000, 2000, 1e308, 2000, 2000), 2.0, counts);
        CandleSeries.RejectOutliers(Bars(2000, 2000, 0.02, 2000, 2000), 2.0, counts);
        Assert.Equal(2, counts[CandleRejection.Outlier]);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void ARatioOfOneOrLess_IsRefused(double ratio)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CandleSeries.RejectOutliers(Bars(2000), ratio));
        Assert.Equal("maxRatio", ex.ParamName);
    }
}
