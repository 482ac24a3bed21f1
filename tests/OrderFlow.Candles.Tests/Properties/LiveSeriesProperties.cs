using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="LiveCandleSeries"/>.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class LiveSeriesProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Resample_TicksTo1mTo5m_EqualsTicksTo5m(TickCase c) =>
        AssertResample(c with { Fine = Timeframe.OneMinute, Coarse = Timeframe.FiveMinutes });

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Resample_TicksToFineToCoarse_EqualsTicksToCoarse(TickCase c) => AssertResample(c);

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Live_InOrderTicks_BuildTheDocumentedCandles(TickCase c)
    {
        // The documented tick rules, for ticks in time order: a tick in the current candle sets the close, extends high
        // and low and adds its size; a later tick opens a candle at the previous close when the time since the last
        // accepted price is at most ContinuityGap (and continuity is on), else at its own price.
        var rules = c.Rules.Rules with { Live = c.Rules.Rules.Live & ~RuleSet.WickClamp, LiveBufferSize = c.Ticks.Length + 2 };
        var continuityOn = (rules.Live & RuleSet.Continuity) != 0;
        var gapMs = (long)rules.ContinuityGap.TotalMilliseconds;
        var series = new LiveCandleSeries(c.Fine, rules, c.Alignment);
        var expected = new List<Candle>();
        var lastAcceptedMs = long.MinValue;
        var joined = 0;
        var broken = 0;
        foreach (var tick in c.Ticks)
        {
            if (series.ApplyTick(tick) != CandleRejection.None)
            {
                continue;
            }

            var bucket = c.Alignment?.Floor(UnixTime.FloorDiv(tick.EventTimeMs, 1000), c.Fine) ?? c.Fine.Floor(UnixTime.FloorDiv(tick.EventTimeMs, 1000));
            if (expected.Count > 0 && expected[^1].OpenTime == bucket)
            {
                var last = expected[^1];
                expected[^1] = Candle.Create(bucket, last.Open, Math.Max(last.High, tick.Price), Math.Min(last.Low, tick.Price), tick.Price, last.Volume + tick.Size);
            }
            else
            {
                Assert.True(expected.Count == 0 || bucket > expected[^1].OpenTime, "ticks are in order");
                var continuous = continuityOn && expected.Count > 0 && tick.EventTimeMs - lastAcceptedMs <= gapMs;
                joined += continuous ? 1 : 0;
                broken += !continuous && expected.Count > 0 ? 1 : 0;
                var open = continuous ? expected[^1].Close : tick.Price;
                expected.Add(Candle.Create(bucket, open, Math.Max(open, tick.Price), Math.Min(open, tick.Price), tick.Price, tick.Size));
            }

            lastAcceptedMs = tick.EventTimeMs;
        }

        PropertyAssert.SameCandles(expected, series.ToArray(), "documented tick rules vs LiveCandleSeries");
        return Prop.ToProperty(true)
            .Classify(joined > 0, "continuous opens")
            .Classify(broken > 0, "gapped opens");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Live_EveryRejectionIsReturnedAndCounted(LiveCase c)
    {
        var series = new LiveCandleSeries(c.Timeframe, c.Rules.Rules, c.Alignment);
        var returned = new Dictionary<CandleRejection, long>();
        foreach (var input in c.Inputs)
        {
            var rejection = Apply(series, input);
            if (rejection != CandleRejection.None)
            {
                returned[rejection] = returned.GetValueOrDefault(rejection) + 1;
            }
        }

        foreach (var reason in Enum.GetValues<CandleRejection>().Where(r => r != CandleRejection.None))
        {
            if (series.Rejections[reason] != returned.GetValueOrDefault(reason))
            {
                Assert.Fail($"{reason}: returned {returned.GetValueOrDefault(reason)} times, counted {series.Rejections[reason]}");
            }
        }

        Assert.Equal(c.Inputs.Length, series.Rejections.Total + series.Accepted);
        return Prop.ToProperty(true)
            .Classify(returned.ContainsKey(CandleRejection.Spike), "spikes")
            .Classify(returned.ContainsKey(CandleRejection.Late), "late");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Live_WithWickClamp_EveryHeldCandleRespectsTheWickLimit(LiveCase c)
    {
        var maxWick = double.IsPositiveInfinity(c.Rules.Rules.MaxWick) ? 10 : c.Rules.Rules.MaxWick;
        var rules = c.Rules.Rules with { Live = c.Rules.Rules.Live | RuleSet.WickClamp, MaxWick = maxWick };
        var series = new LiveCandleSeries(c.Timeframe, rules, c.Alignment);
        for (var i = 0; i < c.Inputs.Length; i++)
        {
            Apply(series, c.Inputs[i]);
            PropertyAssert.WicksWithin(series.ToArray(), maxWick, $"after input [{i}] {c.Inputs[i]}, held");
        }

        return Prop.ToProperty(true).Classify(series.Count > 1, "several candles held");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Live_WithWickClamp_SeededCandlesAlsoRespectTheWickLimit(LiveCase c, FineSeries history)
    {
        // Seed primes the series with the end of a stored chart, normalised with the default history rules (no clamp).
        var maxWick = double.IsPositiveInfinity(c.Rules.Rules.MaxWick) ? 10 : c.Rules.Rules.MaxWick;
        var rules = c.Rules.Rules with { Live = c.Rules.Rules.Live | RuleSet.WickClamp, MaxWick = maxWick };
        var stored = CandleSeries.Normalize(history.Candles.AsSpan(), c.Timeframe, CandleRules.Seed, PropertySettings.Now).Candles;
        var series = new LiveCandleSeries(c.Timeframe, rules, c.Alignment);
        series.Seed(stored);
        PropertyAssert.WicksWithin(series.ToArray(), maxWick, "after Seed, held");
        for (var i = 0; i < c.Inputs.Length; i++)
        {
            Apply(series, c.Inputs[i]);
            PropertyAssert.WicksWithin(series.ToArray(), maxWick, $"after Seed and input [{i}] {c.Inputs[i]}, held");
        }

        return Prop.ToProperty(true).Classify(stored.Length > 0, "seeded");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Live_NeverThrows_ForAnyInput(LiveCase c)
    {
        var series = new LiveCandleSeries(c.Timeframe, c.Rules.Rules, c.Alignment);
        var destination = new Candle[3];
        foreach (var input in c.Inputs)
        {
            var rejection = Apply(series, input);
            Assert.True(Enum.IsDefined(rejection));
            if (series.HasCurrent)
            {
                _ = series.Current;
            }

            _ = series.ToArray();
            _ = series.CopyTo(destination);
            _ = series.CopyTo([]);
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Live_BufferNeverExceedsLiveBufferSizeAndIsStrictlyAscending(LiveCase c)
    {
        var series = new LiveCandleSeries(c.Timeframe, c.Rules.Rules, c.Alignment);
        var size = c.Rules.Rules.LiveBufferSize;
        for (var i = 0; i < c.Inputs.Length; i++)
        {
            Apply(series, c.Inputs[i]);
            var held = series.ToArray();
            if (series.Count > size || held.Length != series.Count)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"after input [{i}]: Count {series.Count}, ToArray {held.Length}, LiveBufferSize {size}"));
            }

            PropertyAssert.StrictlyAscending(held, $"after input [{i}] {c.Inputs[i]}, held");
            if (series.HasCurrent)
            {
                PropertyAssert.SameCandles([series.Current], [held[^1]], "the current candle is the last held");
            }

            // A short destination receives the newest candles.
            var newest = new Candle[Math.Min(2, held.Length)];
            Assert.Equal(newest.Length, series.CopyTo(newest));
            PropertyAssert.SameCandles(held[^newest.Length..], newest, "CopyTo into a short destination");
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Live_HeldCandlesHaveValidOhlcv(LiveCase c)
    {
        var series = new LiveCandleSeries(c.Timeframe, c.Rules.Rules, c.Alignment);
        for (var i = 0; i < c.Inputs.Length; i++)
        {
            Apply(series, c.Inputs[i]);
            foreach (var candle in series.ToArray())
            {
                var violation = PropertyAssert.InvariantViolation(candle);
                if (violation is not null && !violation.Contains("OpenTime", StringComparison.Ordinal))
                {
                    Assert.Fail($"after input [{i}] {c.Inputs[i]}: held candle {violation}: {PropertyAssert.Show(candle)}");
                }
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Live_HeldCandleTimesAreAlignedAndInRange(LiveCase c)
    {
        var series = new LiveCandleSeries(c.Timeframe, c.Rules.Rules, c.Alignment);
        for (var i = 0; i < c.Inputs.Length; i++)
        {
            Apply(series, c.Inputs[i]);
            foreach (var candle in series.ToArray())
            {
                var inRange = candle.OpenTime is >= UnixTime.MinSeconds and <= UnixTime.MaxSeconds;
                var aligned = inRange && (c.Alignment?.Floor(candle.OpenTime, c.Timeframe) ?? c.Timeframe.Floor(candle.OpenTime)) == candle.OpenTime;
                if (!aligned)
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"after input [{i}] {c.Inputs[i]}: held candle opens at {candle.OpenTime}, which is not an aligned time in [{UnixTime.MinSeconds}, {UnixTime.MaxSeconds}]: {PropertyAssert.Show(candle)}"));
                }
            }
        }
    }

    private static Property AssertResample(TickCase c)
    {
        // Same rules on both series; the wick clamp is per candle, so it cannot commute with aggregation.
        var rules = c.Rules.Rules with { Live = c.Rules.Rules.Live & ~RuleSet.WickClamp, LiveBufferSize = c.Ticks.Length + 2 };
        var fine = new LiveCandleSeries(c.Fine, rules, c.Alignment);
        var coarse = new LiveCandleSeries(c.Coarse, rules, c.Alignment);
        for (var i = 0; i < c.Ticks.Length; i++)
        {
            var onFine = fine.ApplyTick(c.Ticks[i]);
            var onCoarse = coarse.ApplyTick(c.Ticks[i]);
            if (onFine != onCoarse)
            {
                Assert.Fail($"tick [{i}] {c.Ticks[i]}: {onFine} on {c.Fine} but {onCoarse} on {c.Coarse}");
            }
        }

        var aggregated = CandleAggregation.Aggregate(fine.ToArray(), c.Fine, c.Coarse, c.Alignment);
        PropertyAssert.SameCandles(coarse.ToArray(), aggregated, $"ticks->{c.Coarse} vs ticks->{c.Fine}->{c.Coarse}");
        return Prop.ToProperty(true)
            .Classify(fine.Rejections[CandleRejection.Spike] > 0, "spikes rejected")
            .Classify(fine.SpikeReanchors > 0, "re-anchored")
            .Classify(aggregated.Length > 1, "several coarse candles");
    }

    private static CandleRejection Apply(LiveCandleSeries series, in LiveInput input) =>
        input.IsTick ? series.ApplyTick(input.Tick) : series.ApplyCandle(input.Candle);
}
