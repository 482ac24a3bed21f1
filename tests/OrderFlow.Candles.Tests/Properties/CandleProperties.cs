using System.Globalization;
using FsCheck.Xunit;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="Candle"/>, <see cref="RawCandle"/> and <see cref="UnixTime"/>.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class CandleProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Candle_TryCreate_AcceptsOnlyCandlesThatKeepTheInvariants(HostileNormalizeInput input)
    {
        foreach (var raw in input.Candles)
        {
            if (raw.TryValidate(out var candle) != CandleRejection.None)
            {
                Assert.True(candle.IsDefault);
                continue;
            }

            var violation = PropertyAssert.InvariantViolation(candle);
            if (violation is not null)
            {
                Assert.Fail($"TryCreate accepted {raw} but the candle {violation}: {PropertyAssert.Show(candle)}");
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Candle_ToRawAndBack_RoundTrips(HostileNormalizeInput input)
    {
        foreach (var raw in input.Candles)
        {
            if (raw.TryValidate(out var candle) != CandleRejection.None)
            {
                continue;
            }

            var again = RawCandle.From(candle);
            var rejection = again.TryValidate(out var back);
            if (rejection != CandleRejection.None || !PropertyAssert.Same(candle, back))
            {
                Assert.Fail($"{raw} -> {PropertyAssert.Show(candle)} -> {again} -> {rejection} {PropertyAssert.Show(back)}");
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Candle_HighIsAtLeastOpenCloseLow_AndLowAtMostOpenCloseHigh(NormalizeInput input)
    {
        foreach (var raw in input.Candles)
        {
            if (raw.TryValidate(out var candle) == CandleRejection.None)
            {
                Assert.True(candle.High >= Math.Max(Math.Max(candle.Open, candle.Close), candle.Low));
                Assert.True(candle.Low <= Math.Min(Math.Min(candle.Open, candle.Close), candle.High));

                // Repair only widens: the four input prices all lie in [Low, High], and Open/Close are kept.
                Assert.Equal(Math.Max(Math.Max(raw.Open, raw.High), Math.Max(raw.Low, raw.Close)), candle.High);
                Assert.Equal(Math.Min(Math.Min(raw.Open, raw.High), Math.Min(raw.Low, raw.Close)), candle.Low);
                Assert.Equal(raw.Open, candle.Open);
                Assert.Equal(raw.Close, candle.Close);
            }
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void UnixTime_SecondsAndMilliseconds_Agree(HostileNormalizeInput input)
    {
        foreach (var raw in input.Candles)
        {
            var t = raw.Time;
            var okSeconds = UnixTime.TryToSeconds(t, out var seconds);
            var okMillis = UnixTime.TryToMilliseconds(t, out var millis);
            Assert.Equal(okSeconds, okMillis);
            if (okSeconds)
            {
                Assert.True(seconds == UnixTime.FloorDiv(millis, 1000), string.Create(CultureInfo.InvariantCulture, $"{t}: {seconds} s vs {millis} ms"));
                Assert.True(millis <= UnixTime.MaxMilliseconds && millis >= 0);
            }
        }
    }
}
