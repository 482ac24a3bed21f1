using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="CandleAggregation"/>, <see cref="TimeframeAggregator"/> and <see cref="CandleBuilder"/>.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class AggregationProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_ConservesVolume(FineSeries series)
    {
        // Integer volumes: every partial sum is exact, so the totals must be equal as doubles.
        var total = series.Candles.Sum(c => c.Volume);
        foreach (var target in Targets(series.Timeframe))
        {
            var output = CandleAggregation.Aggregate(series.Candles, series.Timeframe, target, series.Alignment);
            var sum = output.Sum(c => c.Volume);
            if (sum != total)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{series.Timeframe}->{target}: volume in {total:R}, out {sum:R}"));
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Aggregate_EachBucketIsFirstOpenMaxHighMinLowLastCloseSumVolume(FineSeries series)
    {
        var buckets = 0;
        foreach (var target in Targets(series.Timeframe))
        {
            var expected = series.Candles
                .GroupBy(c => Bucket(c.OpenTime, target, series.Alignment))
                .OrderBy(g => g.Key)
                .Select(g => Candle.Create(g.Key, g.First().Open, g.Max(c => c.High), g.Min(c => c.Low), g.Last().Close, g.Aggregate(0.0, (v, c) => v + c.Volume)))
                .ToArray();
            var actual = CandleAggregation.Aggregate(series.Candles, series.Timeframe, target, series.Alignment);
            PropertyAssert.SameCandles(expected, actual, $"{series.Timeframe}->{target} (group-by model vs Aggregate)");
            PropertyAssert.AllValid(actual, "output");
            PropertyAssert.StrictlyAscending(actual, "output");
            buckets += actual.Length;
        }

        return Prop.ToProperty(true).Classify(series.Cme, "CME alignment").Classify(buckets > series.Candles.Length, "several buckets");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Aggregate_ViaAnyIntermediateTimeframe_EqualsDirect(FineSeries series)
    {
        var chains = 0;
        foreach (var middle in Targets(series.Timeframe).Where(m => m != series.Timeframe))
        {
            var viaMiddle = CandleAggregation.Aggregate(series.Candles, series.Timeframe, middle, series.Alignment);
            foreach (var target in Targets(middle).Where(t => t != middle))
            {
                var direct = CandleAggregation.Aggregate(series.Candles, series.Timeframe, target, series.Alignment);
                var twoStep = CandleAggregation.Aggregate(viaMiddle, middle, target, series.Alignment);
                PropertyAssert.SameCandles(direct, twoStep, $"{series.Timeframe}->{target} direct vs via {middle}");
                chains++;
            }
        }

        return Prop.ToProperty(true).Classify(chains > 0, "has chains");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_1mTo1h_Equals1mTo5mTo1h_And1mTo15mTo1h(MinuteSeries series) =>
        AssertChains(series, Timeframe.OneHour, Timeframe.FiveMinutes, Timeframe.FifteenMinutes);

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_1mTo4h_Equals1mTo1hTo4h(MinuteSeries series) =>
        AssertChains(series, Timeframe.FourHours, Timeframe.OneHour);

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_1mTo1d_Equals1mTo4hTo1d(MinuteSeries series) =>
        AssertChains(series, Timeframe.OneDay, Timeframe.FourHours);

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Aggregate_StreamingEqualsBatch(StreamingCase c)
    {
        var aggregator = new TimeframeAggregator(c.Source, c.Target, c.Alignment);
        var streamed = new SortedDictionary<long, Candle>();
        var accepted = new SortedDictionary<long, Candle>();
        var late = 0;
        var corrections = 0;
        foreach (var update in c.Updates)
        {
            var rejection = aggregator.Update(update);
            if (rejection == CandleRejection.None)
            {
                corrections += accepted.Count > 0 && update.OpenTime < accepted.Keys.Last() ? 1 : 0;
                accepted[update.OpenTime] = update;
                var current = aggregator.Current;
                streamed[current.OpenTime] = current;
            }
            else
            {
                Assert.Equal(CandleRejection.Late, rejection);
                late++;
            }
        }

        // Bit for bit, even with fractional volumes: the class documents identical left-to-right sums.
        var batch = CandleAggregation.Aggregate(accepted.Values.ToArray(), c.Source, c.Target, c.Alignment);
        PropertyAssert.SameCandles(batch, streamed.Values.ToArray(), "batch of the accepted updates vs last Current per bucket");
        return Prop.ToProperty(true)
            .Classify(late > 0, "late updates")
            .Classify(corrections > 0, "corrections inside the bucket");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_Streaming_RejectsExactlyTheUpdatesOfClosedBuckets(StreamingCase c)
    {
        var aggregator = new TimeframeAggregator(c.Source, c.Target, c.Alignment);
        long? currentBucket = null;
        foreach (var update in c.Updates)
        {
            var bucket = Bucket(update.OpenTime, c.Target, c.Alignment);
            var expected = currentBucket is { } open && bucket < open ? CandleRejection.Late : CandleRejection.None;
            var actual = aggregator.Update(update);
            if (actual != expected)
            {
                Assert.Fail($"{PropertyAssert.Show(update)} (bucket {bucket}, current bucket {currentBucket}): expected {expected}, got {actual}");
            }

            if (actual == CandleRejection.None)
            {
                currentBucket = Math.Max(currentBucket ?? long.MinValue, bucket);
                Assert.Equal(currentBucket, aggregator.Current.OpenTime);
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Aggregate_OutputKeepsCandleInvariants_AtMaxVolume(FineSeries series)
    {
        // Every input at the largest valid volume: the sums must stay finite.
        var huge = series.Candles.Select(c => Candle.Create(c.OpenTime, c.Open, c.High, c.Low, c.Close, Candle.MaxVolume)).ToArray();
        foreach (var target in Targets(series.Timeframe))
        {
            PropertyAssert.AllValid(CandleAggregation.Aggregate(huge, series.Timeframe, target, series.Alignment), $"{series.Timeframe}->{target} output");
            var streaming = new TimeframeAggregator(series.Timeframe, target, series.Alignment);
            foreach (var candle in huge)
            {
                streaming.Update(candle);
                PropertyAssert.AllValid([streaming.Current], $"{series.Timeframe}->{target} streaming Current");
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void CandleBuilder_MergeOfSplit_EqualsMergeOfWhole(FineSeries series)
    {
        if (series.Candles.Length == 0)
        {
            return;
        }

        var step = Math.Max(1, series.Candles.Length / 64);
        for (var split = 1; split < series.Candles.Length; split += step)
        {
            CandleBuilder whole = default, left = default, right = default;
            for (var i = 0; i < series.Candles.Length; i++)
            {
                whole.Merge(series.Candles[i]);
                if (i < split)
                {
                    left.Merge(series.Candles[i]);
                }
                else
                {
                    right.Merge(series.Candles[i]);
                }
            }

            left.Merge(right);
            Assert.Equal(series.Candles.Length, whole.Count);
            PropertyAssert.SameCandles([whole.Build()], [left.Build()], $"split at {split}");
            Assert.Equal(series.Candles.Sum(c => c.Volume), whole.Build().Volume);
        }
    }

    private static void AssertChains(MinuteSeries series, Timeframe target, params Timeframe[] middles)
    {
        var direct = CandleAggregation.Aggregate(series.Candles, Timeframe.OneMinute, target, series.Alignment);
        foreach (var middle in middles)
        {
            var viaMiddle = CandleAggregation.Aggregate(series.Candles, Timeframe.OneMinute, middle, series.Alignment);
            var twoStep = CandleAggregation.Aggregate(viaMiddle, middle, target, series.Alignment);
            PropertyAssert.SameCandles(direct, twoStep, $"1m->{target} direct vs via {middle}");
        }

        Assert.Equal(series.Candles.Sum(c => c.Volume), direct.Sum(c => c.Volume));
    }

    private static IEnumerable<Timeframe> Targets(Timeframe source) => Timeframe.All.Where(source.Divides);

    private static long Bucket(long time, Timeframe target, CandleAlignment? alignment) =>
        alignment?.Floor(time, target) ?? target.Floor(time);
}
