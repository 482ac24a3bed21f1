using System.Globalization;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Checks shared by the properties; each failure names the offending element.</summary>
internal static class PropertyAssert
{
    /// <summary>Why <paramref name="candle"/> breaks the <see cref="Candle"/> invariants, or null.</summary>
    public static string? InvariantViolation(in Candle candle)
    {
        if (candle.IsDefault)
        {
            return "is default(Candle)";
        }

        static bool Price(double p) => double.IsFinite(p) && p > 0;
        if (!Price(candle.Open) || !Price(candle.High) || !Price(candle.Low) || !Price(candle.Close))
        {
            return "has a price that is not finite and > 0";
        }

        if (!(candle.High >= Math.Max(Math.Max(candle.Open, candle.Close), candle.Low)))
        {
            return "has High < max(Open, Close, Low)";
        }

        if (!(candle.Low <= Math.Min(Math.Min(candle.Open, candle.Close), candle.High)))
        {
            return "has Low > min(Open, Close, High)";
        }

        if (!(double.IsFinite(candle.Volume) && candle.Volume >= 0))
        {
            return "has a volume that is not finite and >= 0";
        }

        if (candle.OpenTime is < UnixTime.MinSeconds or > UnixTime.MaxSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture, $"has OpenTime {candle.OpenTime} outside [{UnixTime.MinSeconds}, {UnixTime.MaxSeconds}]");
        }

        return null;
    }

    /// <summary>Fails when a candle of <paramref name="candles"/> breaks the invariants.</summary>
    public static void AllValid(IReadOnlyList<Candle> candles, string what)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var violation = InvariantViolation(candles[i]);
            if (violation is not null)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}] {violation}: {Show(candles[i])}"));
            }
        }
    }

    /// <summary>Fails when the open times are not strictly ascending.</summary>
    public static void StrictlyAscending(IReadOnlyList<Candle> candles, string what)
    {
        for (var i = 1; i < candles.Count; i++)
        {
            if (candles[i].OpenTime <= candles[i - 1].OpenTime)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what} is not strictly ascending at [{i}]: {Show(candles[i - 1])} then {Show(candles[i])}"));
            }
        }
    }

    /// <summary>Fails when a wick is longer than <paramref name="maxWick"/> beyond the body (with a rounding allowance).</summary>
    public static void WicksWithin(IReadOnlyList<Candle> candles, double maxWick, string what)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            var top = Math.Max(c.Open, c.Close) + maxWick;
            var bottom = Math.Min(c.Open, c.Close) - maxWick;
            if (c.High > top + Epsilon(top) || c.Low < bottom - Epsilon(bottom))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}] has a wick longer than {maxWick}: {Show(c)} (allowed high {top}, low {bottom})"));
            }
        }
    }

    /// <summary>Fails with the first difference when the two series are not identical.</summary>
    public static void SameCandles(IReadOnlyList<Candle> expected, IReadOnlyList<Candle> actual, string what)
    {
        var n = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < n; i++)
        {
            if (!Same(expected[i], actual[i]))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}: first difference at [{i}]\n  expected {Show(expected[i])}\n  actual   {Show(actual[i])}\n  expected count {expected.Count}, actual count {actual.Count}"));
            }
        }

        if (expected.Count != actual.Count)
        {
            var extra = expected.Count > actual.Count ? "expected has extra " + Show(expected[n]) : "actual has extra " + Show(actual[n]);
            Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected.Count} candles, got {actual.Count}; {extra}"));
        }
    }

    /// <summary>Bit-for-bit equality of every field (so 0.0 and -0.0 differ, and 0.1 + 0.2 is not 0.3).</summary>
    public static bool Same(in Candle a, in Candle b) =>
        a.OpenTime == b.OpenTime
        && Bits(a.Open) == Bits(b.Open) && Bits(a.High) == Bits(b.High) && Bits(a.Low) == Bits(b.Low)
        && Bits(a.Close) == Bits(b.Close) && Bits(a.Volume) == Bits(b.Volume);

    /// <summary>Shows a candle with its open time in Unix seconds and every number in round-trip form.</summary>
    public static string Show(in Candle c) =>
        c.IsDefault ? "(default)" : string.Create(CultureInfo.InvariantCulture, $"t={c.OpenTime} O={c.Open:R} H={c.High:R} L={c.Low:R} C={c.Close:R} V={c.Volume:R}");

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    private static double Epsilon(double x) => Math.Abs(x) * 1e-12;
}
