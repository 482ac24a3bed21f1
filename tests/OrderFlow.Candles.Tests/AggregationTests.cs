using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Sessions;
using static OrderFlow.Candles.Tests.TestData;

namespace OrderFlow.Candles.Tests;

public class AggregationTests
{
    private static readonly Candle[] FiveMinutes =
    [
        C(T0, 10, 12, 9, 11, 1),
        C(T0 + 60, 11, 15, 10, 14, 2),
        C(T0 + 120, 14, 14, 8, 9, 3),
        C(T0 + 240, 9, 10, 9, 10, 4), // minute 3 is missing
        C(T0 + 300, 10, 11, 10, 11, 5), // next 5m bucket
    ];

    [Fact]
    public void Aggregate_OneMinuteToFiveMinutes_FirstMaxMinLastSum()
    {
        var result = CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneMinute, Timeframe.FiveMinutes);
        Assert.Equal([C(T0, 10, 15, 8, 10, 10), C(T0 + 300, 10, 11, 10, 11, 5)], result);
    }

    [Fact]
    public void Aggregate_ToOneDay_UsesUtcMidnight()
    {
        var day = T0; // 2024-01-01T00:00Z
        var input = new[] { Flat(day - 60, 1), Flat(day, 2), Flat(day + 86340, 3) };
        var result = CandleAggregation.Aggregate(input, Timeframe.OneMinute, Timeframe.OneDay);
        Assert.Equal([day - 86400, day], result.Select(c => c.OpenTime));
    }

    [Fact]
    public void Aggregate_SessionAnchored_DailyBarsStartAt17Chicago()
    {
        var cme = CandleAlignment.CmeGlobex();
        var sessionOpen = new DateTimeOffset(2024, 1, 2, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(); // 17:00 CST
        var input = new[] { Flat(sessionOpen - 60, 1), Flat(sessionOpen, 2), Flat(sessionOpen + 3600, 3) };
        var result = CandleAggregation.Aggregate(input, Timeframe.OneMinute, Timeframe.OneDay, cme);
        Assert.Equal([sessionOpen - 86400, sessionOpen], result.Select(c => c.OpenTime));
        Assert.Equal(2, result[1].Volume);
    }

    [Fact]
    public void Aggregate_NotDivisible_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneHour, Timeframe.FiveMinutes));
        Assert.Contains("1h", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_NotAscending_ThrowsNamingTheIndex()
    {
        var ex = Assert.Throws<ArgumentException>(() => CandleAggregation.Aggregate([Flat(T0 + 60, 1), Flat(T0, 1)], Timeframe.OneMinute, Timeframe.FiveMinutes));
        Assert.Contains("source[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_Empty_ReturnsEmpty() => Assert.Empty(CandleAggregation.Aggregate([], Timeframe.OneMinute, Timeframe.OneHour));

    [Fact]
    public void Aggregate_IntoSpan_AllocatesNothing_AndRejectsShortDestination()
    {
        var destination = new Candle[FiveMinutes.Length];
        CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneMinute, Timeframe.FiveMinutes, destination);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneMinute, Timeframe.FiveMinutes, destination);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2, written);
        Assert.Throws<ArgumentException>(() => CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneMinute, Timeframe.FiveMinutes, new Candle[1]));
    }

    [Fact]
    public void Streaming_RepeatedUpdatesOfTheSameMinute_DoNotDoubleCountVolume()
    {
        var agg = new TimeframeAggregator(Timeframe.OneMinute, Timeframe.OneHour);
        agg.Update(C(T0, 10, 11, 9, 10, 5));
        agg.Update(C(T0, 10, 12, 9, 11, 7));
        agg.Update(C(T0 + 60, 11, 11, 11, 11, 1));
        agg.Update(C(T0 + 60, 11, 13, 11, 12, 3));
        Assert.Equal(C(T0, 10, 13, 9, 12, 10), agg.Current);
    }

    [Fact]
    public void Streaming_CorrectionOfAnEarlierMinute_RefoldsTheBucket()
    {
        var agg = new TimeframeAggregator(Timeframe.OneMinute, Timeframe.FiveMinutes);
        agg.Update(C(T0, 10, 20, 9, 10, 5));
        agg.Update(C(T0 + 60, 10, 11, 10, 11, 1));
        agg.Update(C(T0, 10, 12, 9, 10, 6)); // the first minute's high was wrong
        Assert.Equal(C(T0, 10, 12, 9, 11, 7), agg.Current);
    }

    [Fact]
    public void Streaming_UpdateForClosedBucket_IsLate()
    {
        var agg = new TimeframeAggregator(Timeframe.OneMinute, Timeframe.FiveMinutes);
        Assert.Equal(CandleRejection.None, agg.Update(Flat(T0 + 300, 1)));
        Assert.Equal(CandleRejection.Late, agg.Update(Flat(T0, 1)));
        Assert.Equal(T0 + 300, agg.Current.OpenTime);
    }

    [Fact]
    public void Streaming_EqualsBatch_OnTheExample()
    {
        var agg = new TimeframeAggregator(Timeframe.OneMinute, Timeframe.FiveMinutes);
        var streamed = new List<Candle>();
        foreach (var c in FiveMinutes)
        {
            agg.Update(c);
            if (streamed.Count > 0 && streamed[^1].OpenTime == agg.Current.OpenTime)
            {
                streamed[^1] = agg.Current;
            }
            else
            {
                streamed.Add(agg.Current);
            }
        }

        Assert.Equal(CandleAggregation.Aggregate(FiveMinutes, Timeframe.OneMinute, Timeframe.FiveMinutes), streamed);
    }

    [Fact]
    public void Streaming_NoCandleYet_CurrentThrows_AndResetForgets()
    {
        var agg = new TimeframeAggregator(Timeframe.FiveMinutes, Timeframe.OneDay);
        Assert.False(agg.HasCurrent);
        Assert.Throws<InvalidOperationException>(() => agg.Current);
        agg.Update(Flat(T0, 1));
        agg.Reset();
        Assert.False(agg.HasCurrent);
        Assert.Throws<ArgumentException>(() => new TimeframeAggregator(Timeframe.OneDay, Timeframe.OneHour));
    }

    [Fact]
    public void Builder_FoldsLikeTheResample()
    {
        var b = default(CandleBuilder);
        Assert.True(b.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => b.Build());
        b.Open(T0, FiveMinutes[0]);
        b.Merge(FiveMinutes[1]);
        b.Merge(FiveMinutes[2]);
        Assert.Equal(C(T0, 10, 15, 8, 9, 6), b.Build());
        Assert.Equal(3, b.Count);
        b.Reset();
        Assert.True(b.IsEmpty);
    }
}
