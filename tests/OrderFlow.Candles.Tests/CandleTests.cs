using System.Globalization;
using System.Text.Json;
using OrderFlow.Candles;
using static OrderFlow.Candles.Tests.TestData;

namespace OrderFlow.Candles.Tests;

public class CandleTests
{
    [Fact]
    public void Create_SeedSample_KeepsValues()
    {
        var c = Candle.Create(1704067200000, 2030.5, 2031.2, 2030.1, 2031.0, 15000);
        Assert.Equal(T0, c.OpenTime);
        Assert.Equal(2030.5, c.Open);
        Assert.Equal(2031.2, c.High);
        Assert.Equal(2030.1, c.Low);
        Assert.Equal(2031.0, c.Close);
        Assert.Equal(15000, c.Volume);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(T0), c.OpenTimeUtc);
    }

    [Theory]
    [InlineData(1704067200000L, 1704067200L)] // the seed's milliseconds
    [InlineData(1704067200999L, 1704067200L)] // milliseconds round down
    [InlineData(1704067200L, 1704067200L)]    // seconds stay seconds
    [InlineData(100_000_000_000L, 100_000_000L)] // 1e11 is the first millisecond value
    [InlineData(99_999_999_999L, 99_999_999_999L)] // below 1e11 is seconds
    public void TryCreate_MillisecondsAtOrAbove1e11_BecomeSeconds(long time, long expectedSeconds)
    {
        Assert.Equal(CandleRejection.None, Candle.TryCreate(time, 1, 1, 1, 1, 0, out var c));
        Assert.Equal(expectedSeconds, c.OpenTime);
    }

    [Theory]
    [InlineData(double.NaN, CandleRejection.NonFinitePrice)]
    [InlineData(double.PositiveInfinity, CandleRejection.NonFinitePrice)]
    [InlineData(double.NegativeInfinity, CandleRejection.NonFinitePrice)]
    [InlineData(0.0, CandleRejection.NonPositivePrice)]
    [InlineData(-2030.5, CandleRejection.NonPositivePrice)]
    public void TryCreate_BadPrice_IsRejectedWithReason(double bad, CandleRejection expected)
    {
        Assert.Equal(expected, Candle.TryCreate(T0, bad, 2031, 2030, 2031, 1, out var c));
        Assert.True(c.IsDefault);
        Assert.Equal(expected, Candle.TryCreate(T0, 2030, bad, 2030, 2031, 1, out _));
        Assert.Equal(expected, Candle.TryCreate(T0, 2030, 2031, bad, 2031, 1, out _));
        Assert.Equal(expected, Candle.TryCreate(T0, 2030, 2031, 2030, bad, 1, out _));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void TryCreate_BadVolume_IsRejected(double volume) =>
        Assert.Equal(CandleRejection.InvalidVolume, Candle.TryCreate(T0, 1, 1, 1, 1, volume, out _));

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(UnixTime.MaxMilliseconds + 1)]
    public void TryCreate_AbsurdTime_IsRejected(long time) =>
        Assert.Equal(CandleRejection.TimeOutOfRange, Candle.TryCreate(time, 1, 1, 1, 1, 1, out _));

    [Fact]
    public void TryCreate_ZeroVolume_IsAccepted() =>
        Assert.Equal(CandleRejection.None, Candle.TryCreate(T0, 1, 1, 1, 1, 0, out _));

    [Fact]
    public void TryCreate_InconsistentOhlc_IsEnforcedNotRejected()
    {
        // High below the close and low above the open: the seed enforces validity instead of dropping the candle.
        Assert.Equal(CandleRejection.None, Candle.TryCreate(T0, 2030, 2029, 2032, 2031, 1, out var c));
        Assert.Equal(2032, c.High);
        Assert.Equal(2029, c.Low);
        Assert.True(c.High >= Math.Max(c.Open, c.Close) && c.Low <= Math.Min(c.Open, c.Close));
    }

    [Fact]
    public void Create_BadValue_ThrowsNamingParameterAndValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Candle.Create(T0, 1, 1, -5, 1, 1));
        Assert.Equal("low", ex.ParamName);
        Assert.Equal(-5.0, ex.ActualValue);
        var vol = Assert.Throws<ArgumentOutOfRangeException>(() => Candle.Create(T0, 1, 1, 1, 1, -1));
        Assert.Equal("volume", vol.ParamName);
        var time = Assert.Throws<ArgumentOutOfRangeException>(() => Candle.Create(-5, 1, 1, 1, 1, 1));
        Assert.Equal("openTime", time.ParamName);
    }

    [Theory]
    [InlineData("2030.5")]
    [InlineData("2031.2")]
    [InlineData("2030.1")]
    [InlineData("0.005")]
    [InlineData("3720.25")]
    [InlineData("17523.75")]
    [InlineData("71.23")]
    public void Prices_FromJson_RoundTripExactly(string json)
    {
        var parsed = JsonSerializer.Deserialize<double>(json);
        var c = Candle.Create(T0, parsed, parsed, parsed, parsed, 15000);
        Assert.Equal(json, JsonSerializer.Serialize(c.Open));
        Assert.Equal(json, c.Close.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Default_IsDocumentedAsNotACandle()
    {
        Assert.True(default(Candle).IsDefault);
        Assert.Equal("(default candle)", default(Candle).ToString());
        Assert.False(Flat(T0, 1).IsDefault);
    }

    [Fact]
    public void ToString_IsInvariantAndReadable() =>
        Assert.Equal("2024-01-01T00:00:00Z O=2030.5 H=2031.2 L=2030.1 C=2031 V=15000", C(T0, 2030.5, 2031.2, 2030.1, 2031, 15000).ToString());

    [Fact]
    public void WithOpenTime_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Flat(T0, 1).WithOpenTime(-1));

    [Fact]
    public void Equality_IsByValue() => Assert.Equal(C(T0, 1, 2, 0.5, 1.5, 3), C(T0, 1, 2, 0.5, 1.5, 3));

    [Fact]
    public void RawCandle_TryValidate_MatchesTryCreate()
    {
        var raw = new RawCandle(1704067200000, 2030.5, 2031.2, 2030.1, 2031.0, 15000);
        Assert.Equal(CandleRejection.None, raw.TryValidate(out var c));
        Assert.Equal(Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000), c);
        Assert.Equal(RawCandle.From(c) with { Time = 1704067200000 }, raw);
    }
}
