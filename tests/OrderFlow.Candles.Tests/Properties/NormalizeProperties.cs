using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles.Rules;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="CandleSeries.Normalize(ReadOnlySpan{RawCandle}, Timeframe, CandleRules, DateTimeOffset, CandleAlignment?)"/>.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class NormalizeProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_OutputOhlcIsValid(NormalizeInput input)
    {
        var result = Run(input);
        return Prop.ToProperty(() => PropertyAssert.AllValid(result.Candles, "output"))
            .Classify(result.Candles.Length == 0, "empty output")
            .Classify(result.Rejections.Total > 0, "some rejected");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_TimesAreStrictlyAscendingAndAligned(NormalizeInput input)
    {
        var candles = Run(input).Candles;
        PropertyAssert.StrictlyAscending(candles, "output");
        foreach (var c in candles)
        {
            var aligned = input.Alignment is null
                ? c.OpenTime % input.Timeframe.Seconds == 0
                : input.Alignment.Floor(c.OpenTime, input.Timeframe) == c.OpenTime;
            if (!aligned)
            {
                Assert.Fail($"{PropertyAssert.Show(c)} is not aligned to {input.Timeframe}");
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_IsIdempotent(NormalizeInput input)
    {
        var once = Run(input);
        var twice = CandleSeries.Normalize(once.Candles.AsSpan(), input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        return Prop.ToProperty(() =>
            {
                PropertyAssert.SameCandles(once.Candles, twice.Candles, "normalise(normalise(x)) vs normalise(x)");
                Assert.Equal(0, twice.Duplicates);
                Assert.Equal("none", twice.Rejections.ToString());
            })
            .Classify((input.Rules.Rules.History & RuleSet.SpikeRejection) != 0, "spike rejection on");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_ContinuityHoldsExactlyWhereTheGapIsWithinTolerance(NormalizeInput input)
    {
        var rules = input.Rules.Rules;
        var result = Run(input);
        var model = NormalizeModel.Of(input, rules);
        var tolerance = (long)rules.ContinuityGap.TotalSeconds;
        var continuityOn = (rules.History & RuleSet.Continuity) != 0;
        var joined = 0;
        var broken = 0;
        var atTolerance = 0;
        var candles = result.Candles;
        for (var i = 0; i < candles.Length; i++)
        {
            var own = model.LastValid[candles[i].OpenTime].Open;
            var gap = i == 0 ? long.MaxValue : candles[i].OpenTime - (candles[i - 1].OpenTime + input.Timeframe.Seconds);
            atTolerance += i > 0 && gap == tolerance ? 1 : 0;
            if (continuityOn && i > 0 && gap <= tolerance)
            {
                joined++;
                if (!candles[i].Open.Equals(candles[i - 1].Close))
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"gap {gap} s <= {tolerance} s but [{i}] opens at {candles[i].Open:R}, previous close {candles[i - 1].Close:R}: {PropertyAssert.Show(candles[i - 1])} then {PropertyAssert.Show(candles[i])}"));
                }
            }
            else
            {
                broken += i > 0 ? 1 : 0;
                if (!candles[i].Open.Equals(own))
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"[{i}] (gap {gap} s, tolerance {tolerance} s, continuity {continuityOn}) opens at {candles[i].Open:R}, but its input opened at {own:R}: {PropertyAssert.Show(candles[i])}"));
                }
            }
        }

        return Prop.ToProperty(true)
            .Classify(joined > 0, "has joined candles")
            .Classify(broken > 0, "has gaps beyond the tolerance")
            .Classify(atTolerance > 0, "has a gap of exactly the tolerance");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_WithWickClamp_WickBoundHolds(NormalizeInput input)
    {
        var rules = input.Rules.Rules with { History = input.Rules.Rules.History | RuleSet.WickClamp };
        var result = Run(input, rules);
        var unclamped = Run(input, rules with { History = rules.History & ~RuleSet.WickClamp });
        return Prop.ToProperty(() =>
            {
                PropertyAssert.WicksWithin(result.Candles, rules.MaxWick, "output");
                PropertyAssert.AllValid(result.Candles, "output");
            })
            .Classify(!unclamped.Candles.SequenceEqual(result.Candles), "clamp changed something");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_KeepsNothingOutsideTheWindow(NormalizeInput input)
    {
        var result = Run(input);
        var start = PropertySettings.NowSeconds - (long)input.Rules.Rules.HistoryWindow.TotalSeconds;
        var end = PropertySettings.NowSeconds + (long)input.Rules.Rules.MaxFutureSkew.TotalSeconds;
        foreach (var c in result.Candles)
        {
            if (c.OpenTime < start || c.OpenTime > end)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{PropertyAssert.Show(c)} is outside the window [{start}, {end}]"));
            }
        }

        return Prop.ToProperty(true)
            .Classify(result.Rejections[CandleRejection.OutsideWindow] > 0, "some too old")
            .Classify(result.Rejections[CandleRejection.InFuture] > 0, "some in the future");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Normalize_DedupeKeepsTheLaterInput(NormalizeInput input)
    {
        var rules = input.Rules.Rules;
        var result = Run(input);
        var model = NormalizeModel.Of(input, rules);
        foreach (var c in result.Candles)
        {
            if (!model.LastValid.TryGetValue(c.OpenTime, out var last))
            {
                Assert.Fail($"{PropertyAssert.Show(c)} has no valid input in its bucket");
            }

            if (!c.Close.Equals(last.Close) || !c.Volume.Equals(last.Volume))
            {
                Assert.Fail($"{PropertyAssert.Show(c)} does not come from the last valid input of its bucket, {last}");
            }
        }

        var spikes = result.Rejections[CandleRejection.Spike];
        Assert.Equal(model.LastValid.Count, result.Candles.Length + spikes);
        Assert.Equal(model.Admitted - model.LastValid.Count, result.Duplicates);
        return Prop.ToProperty(true).Classify(result.Duplicates > 0, "has duplicates");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_RejectionsPlusDuplicatesPlusOutput_EqualInput(NormalizeInput input)
    {
        var result = Run(input);
        Assert.Equal(input.Candles.Length, result.InputCount);
        Assert.Equal(result.InputCount, result.Rejections.Total + result.Duplicates + result.Candles.Length);
        Assert.Equal(result.Rejections.Total, result.Rejections.NonZero().Sum(p => p.Value));
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_RejectionReasonsFollowTheRules(NormalizeInput input)
    {
        var result = Run(input);
        var model = NormalizeModel.Of(input, input.Rules.Rules);
        foreach (var reason in Enum.GetValues<CandleRejection>())
        {
            if (reason is CandleRejection.None or CandleRejection.Spike)
            {
                continue;
            }

            model.Rejected.TryGetValue(reason, out var expected);
            if (result.Rejections[reason] != expected)
            {
                Assert.Fail($"{reason}: expected {expected}, counted {result.Rejections[reason]} (all: {result.Rejections})");
            }
        }

        if ((input.Rules.Rules.History & RuleSet.SpikeRejection) == 0)
        {
            Assert.Equal(0, result.Rejections[CandleRejection.Spike]);
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_EqualsReferenceModel_WithoutSpikeRejection(NormalizeInput input)
    {
        var rules = input.Rules.Rules with { History = input.Rules.Rules.History & ~RuleSet.SpikeRejection };
        var result = Run(input, rules);
        var expected = NormalizeModel.Of(input, rules).ExpectedSeries(input.Timeframe, rules);
        PropertyAssert.SameCandles(expected, result.Candles, "reference model vs Normalize");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_CandleOverload_AgreesWithRawOverload(NormalizeInput input)
    {
        // Valid inputs as Candle values (their times converted to seconds) give the same series.
        var valid = new List<Candle>();
        foreach (var raw in input.Candles)
        {
            if (raw.TryValidate(out var candle) == CandleRejection.None)
            {
                valid.Add(candle);
            }
        }

        var fromRaw = Run(input);
        var fromCandles = CandleSeries.Normalize(valid.ToArray().AsSpan(), input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        PropertyAssert.SameCandles(fromRaw.Candles, fromCandles.Candles, "Normalize(Candle[]) vs Normalize(RawCandle[])");
        Assert.Equal(fromRaw.Duplicates, fromCandles.Duplicates);
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_IntoABuffer_EqualsTheArrayOverload(NormalizeInput input)
    {
        var expected = Run(input);
        var buffer = new Candle[input.Candles.Length + 3];
        var rejections = new CandleRejectionCounts();
        var written = CandleSeries.Normalize(input.Candles, buffer, input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment, rejections);
        PropertyAssert.SameCandles(expected.Candles, buffer[..written], "Normalize(RawCandle[], Span<Candle>) vs Normalize(RawCandle[])");
        Assert.Equal(expected.Rejections.Total, rejections.Total);
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Merge_EqualsNormalizeOfOlderThenNewer_AndNewerWins(NormalizeInput input)
    {
        var valid = input.Candles.Select(r => r.TryValidate(out var c) == CandleRejection.None ? c : default).Where(c => !c.IsDefault).ToArray();
        var half = valid.Length / 2;
        var older = valid[..half];
        var newer = valid[half..];
        var merged = CandleSeries.Merge(older, newer, input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        var normalized = CandleSeries.Normalize(valid.AsSpan(), input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        PropertyAssert.SameCandles(normalized.Candles, merged.Candles, "Merge(older, newer) vs Normalize(older ++ newer)");

        var newest = new Dictionary<long, Candle>();
        foreach (var c in newer)
        {
            newest[input.Alignment?.Floor(c.OpenTime, input.Timeframe) ?? input.Timeframe.Floor(c.OpenTime)] = c;
        }

        foreach (var c in merged.Candles)
        {
            if (newest.TryGetValue(c.OpenTime, out var fromNewer) && (c.Close != fromNewer.Close || c.Volume != fromNewer.Volume))
            {
                Assert.Fail($"{PropertyAssert.Show(c)} does not come from the newer source's {PropertyAssert.Show(fromNewer)}");
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void ClampWicks_BoundsEveryWick_AndIsIdempotent(FineSeries series, byte wickTenths)
    {
        var maxWick = wickTenths / 10.0;
        var once = series.Candles.ToArray();
        var changed = CandleSeries.ClampWicks(once, maxWick);
        PropertyAssert.WicksWithin(once, maxWick, "clamped");
        PropertyAssert.AllValid(once, "clamped");
        Assert.Equal(series.Candles.Zip(once).Count(p => p.First != p.Second), changed);
        var twice = once.ToArray();
        Assert.Equal(0, CandleSeries.ClampWicks(twice, maxWick));
        PropertyAssert.SameCandles(once, twice, "clamp(clamp(x)) vs clamp(x)");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_NeverThrows_ForAnyNumbers(HostileNormalizeInput input)
    {
        var raw = CandleSeries.Normalize(input.Candles, input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        PropertyAssert.AllValid(raw.Candles, "output");
        PropertyAssert.StrictlyAscending(raw.Candles, "output");
        Assert.Equal(input.Candles.Length, raw.Rejections.Total + raw.Duplicates + raw.Candles.Length);

        // The Candle overload, with default(Candle) and extreme times mixed in.
        var candles = new List<Candle> { default, Candle.Create(0, 1, 1, 1, 1, 0), Candle.Create(UnixTime.MaxMilliseconds, 1, 1, 1, 1, 0) };
        foreach (var r in input.Candles)
        {
            if (r.TryValidate(out var c) == CandleRejection.None)
            {
                candles.Add(c);
            }
        }

        var fromCandles = CandleSeries.Normalize(candles.ToArray().AsSpan(), input.Timeframe, input.Rules.Rules, PropertySettings.Now, input.Alignment);
        PropertyAssert.AllValid(fromCandles.Candles, "output");
        Assert.Equal(candles.Count, fromCandles.Rejections.Total + fromCandles.Duplicates + fromCandles.Candles.Length);
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Normalize_NeverThrows_ForAnyNow(NormalizeInput input, AnyNow now)
    {
        // "now" is a plain argument: no documented exception covers it, so any value must give a (possibly empty) series.
        var result = CandleSeries.Normalize(input.Candles, input.Timeframe, input.Rules.Rules, now.Value, input.Alignment);
        PropertyAssert.AllValid(result.Candles, "output");
        Assert.Equal(input.Candles.Length, result.Rejections.Total + result.Duplicates + result.Candles.Length);
    }

    private static NormalizedSeries Run(NormalizeInput input, CandleRules? rules = null) =>
        CandleSeries.Normalize(input.Candles, input.Timeframe, rules ?? input.Rules.Rules, PropertySettings.Now, input.Alignment);
}

/// <summary>An independent statement of the normaliser's documented steps, used as the oracle.</summary>
internal sealed class NormalizeModel
{
    private NormalizeModel(SortedDictionary<long, RawCandle> lastValid, int admitted, Dictionary<CandleRejection, int> rejected)
    {
        LastValid = lastValid;
        Admitted = admitted;
        Rejected = rejected;
    }

    /// <summary>For each bucket, the last input that passed validation and the window.</summary>
    public SortedDictionary<long, RawCandle> LastValid { get; }

    /// <summary>How many inputs passed validation and the window.</summary>
    public int Admitted { get; }

    /// <summary>How many inputs each rule rejected (spikes excluded).</summary>
    public Dictionary<CandleRejection, int> Rejected { get; }

    public static NormalizeModel Of(NormalizeInput input, CandleRules rules)
    {
        var start = Math.Max(0, PropertySettings.NowSeconds - (long)rules.HistoryWindow.TotalSeconds);
        var end = PropertySettings.NowSeconds + (long)rules.MaxFutureSkew.TotalSeconds;
        var lastValid = new SortedDictionary<long, RawCandle>();
        var rejected = new Dictionary<CandleRejection, int>();
        var admitted = 0;
        foreach (var raw in input.Candles)
        {
            var reason = Validate(raw, out var seconds);
            var bucket = 0L;
            if (reason == CandleRejection.None)
            {
                bucket = input.Alignment?.Floor(seconds, input.Timeframe) ?? FloorMod(seconds, input.Timeframe.Seconds);
                // A session bucket of the first hours of 1970 opens before the epoch: no valid candle time.
                reason = bucket < UnixTime.MinSeconds ? CandleRejection.TimeOutOfRange
                    : bucket < start ? CandleRejection.OutsideWindow
                    : bucket > end ? CandleRejection.InFuture
                    : CandleRejection.None;
            }

            if (reason == CandleRejection.None)
            {
                admitted++;
                lastValid[bucket] = raw;
            }
            else
            {
                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
            }
        }

        return new NormalizeModel(lastValid, admitted, rejected);
    }

    /// <summary>The series the documented steps give (no spike rejection).</summary>
    public Candle[] ExpectedSeries(Timeframe timeframe, CandleRules rules)
    {
        var continuity = (rules.History & RuleSet.Continuity) != 0;
        var clamp = (rules.History & RuleSet.WickClamp) != 0 && !double.IsPositiveInfinity(rules.MaxWick);
        var tolerance = (long)rules.ContinuityGap.TotalSeconds;
        var result = new List<Candle>();
        foreach (var (time, raw) in LastValid)
        {
            var open = raw.Open;
            var high = Math.Max(Math.Max(raw.Open, raw.High), Math.Max(raw.Low, raw.Close));
            var low = Math.Min(Math.Min(raw.Open, raw.High), Math.Min(raw.Low, raw.Close));
            if (continuity && result.Count > 0 && time - (result[^1].OpenTime + timeframe.Seconds) <= tolerance)
            {
                open = result[^1].Close;
                high = Math.Max(high, open);
                low = Math.Min(low, open);
            }

            if (clamp)
            {
                high = Math.Min(high, Math.Max(open, raw.Close) + rules.MaxWick);
                low = Math.Max(low, Math.Min(open, raw.Close) - rules.MaxWick);
            }

            result.Add(Candle.Create(time, open, high, low, raw.Close, raw.Volume));
        }

        return [.. result];
    }

    private static CandleRejection Validate(RawCandle raw, out long seconds)
    {
        seconds = 0;
        double[] prices = [raw.Open, raw.High, raw.Low, raw.Close];
        if (prices.Any(p => !double.IsFinite(p)))
        {
            return CandleRejection.NonFinitePrice;
        }

        if (prices.Any(p => p <= 0))
        {
            return CandleRejection.NonPositivePrice;
        }

        if (!(double.IsFinite(raw.Volume) && raw.Volume >= 0 && raw.Volume <= Candle.MaxVolume))
        {
            return CandleRejection.InvalidVolume;
        }

        // The documented unit rule: at least 1e11 is milliseconds (up to UnixTime.MaxMilliseconds), below is seconds.
        if (raw.Time >= 100_000_000_000 && raw.Time <= UnixTime.MaxMilliseconds)
        {
            seconds = raw.Time / 1000;
        }
        else if (raw.Time is >= 0 and < 100_000_000_000)
        {
            seconds = raw.Time;
        }
        else
        {
            return CandleRejection.TimeOutOfRange;
        }

        return CandleRejection.None;
    }

    private static long FloorMod(long t, long length) => t - (((t % length) + length) % length);
}
