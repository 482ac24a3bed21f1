using OrderFlow.Candles;

namespace OrderFlow.Candles.Tests;

public class TimeframeTests
{
    [Theory]
    [InlineData("1m", 60)]
    [InlineData("5m", 300)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("4h", 14400)]
    [InlineData("1d", 86400)]
    public void Parse_SeedTimeframes_HaveTheirLengthAndFormatBack(string text, int seconds)
    {
        var tf = Timeframe.Parse(text);
        Assert.Equal(seconds, tf.Seconds);
        Assert.Equal(TimeSpan.FromSeconds(seconds), tf.Duration);
        Assert.Equal(text, tf.ToString());
        Assert.True(Timeframe.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var fromUtf8));
        Assert.Equal(tf, fromUtf8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1M")]
    [InlineData("2m")]
    [InlineData("60")]
    [InlineData("1 m")]
    [InlineData(" 1m")]
    [InlineData("1H")]
    [InlineData("1w")]
    [InlineData("15")]
    public void TryParse_UnknownString_ReturnsFalse(string text)
    {
        Assert.False(Timeframe.TryParse(text, out _));
        Assert.False(Timeframe.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Parse_UnknownString_ThrowsFormatExceptionNamingInputAndExpectedForm()
    {
        var ex = Assert.Throws<FormatException>(() => Timeframe.Parse("2m"));
        Assert.Contains("'2m'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1m, 5m, 15m, 1h, 4h, 1d", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse() => Assert.False(Timeframe.TryParse((string?)null, out _));

    [Fact]
    public void Default_IsOneMinute() => Assert.Equal(Timeframe.OneMinute, default);

    [Fact]
    public void All_IsShortestFirst()
    {
        Assert.Equal(["1m", "5m", "15m", "1h", "4h", "1d"], Timeframe.All.Select(t => t.Name));
        for (var i = 1; i < Timeframe.All.Count; i++)
        {
            Assert.True(Timeframe.All[i - 1] < Timeframe.All[i]);
            Assert.True(Timeframe.All[i - 1].CompareTo(Timeframe.All[i]) < 0);
        }
    }

    [Fact]
    public void Floor_OnBoundary_ReturnsSameTime() => Assert.Equal(TestData.T0, Timeframe.OneHour.Floor(TestData.T0));

    [Fact]
    public void Floor_InsideInterval_ReturnsOpenTime()
    {
        Assert.Equal(TestData.T0, Timeframe.FiveMinutes.Floor(TestData.T0 + 299));
        Assert.Equal(TestData.T0 + 300, Timeframe.FiveMinutes.Floor(TestData.T0 + 300));
    }

    [Fact]
    public void Floor_OneDay_IsUtcMidnight_AndFourHours_IsMultipleOfFourHoursUtc()
    {
        var t = new DateTimeOffset(2024, 3, 10, 13, 37, 5, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), Timeframe.OneDay.Floor(t));
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), Timeframe.FourHours.Floor(t));
    }

    [Fact]
    public void Floor_NegativeTime_RoundsTowardsNegativeInfinity() => Assert.Equal(-60, Timeframe.OneMinute.Floor(-1));

    [Fact]
    public void Contains_IsClosedOnTheLeftOpenOnTheRight()
    {
        Assert.True(Timeframe.OneMinute.Contains(TestData.T0, TestData.T0));
        Assert.True(Timeframe.OneMinute.Contains(TestData.T0, TestData.T0 + 59));
        Assert.False(Timeframe.OneMinute.Contains(TestData.T0, TestData.T0 + 60));
        Assert.False(Timeframe.OneMinute.Contains(TestData.T0, TestData.T0 - 1));
    }

    [Fact]
    public void Divides_HoldsForEveryShorterSeedTimeframe()
    {
        foreach (var fine in Timeframe.All)
        {
            foreach (var coarse in Timeframe.All)
            {
                Assert.Equal(fine <= coarse, fine.Divides(coarse));
            }
        }
    }

    [Fact]
    public void EqualityContract() =>
        ContractAssert.EqualityAndOrdering(Timeframe.OneMinute, Timeframe.OneMinute, Timeframe.OneHour);

    [Fact]
    public void TryFormat_WritesCanonicalName()
    {
        Span<char> chars = stackalloc char[8];
        Assert.True(Timeframe.FifteenMinutes.TryFormat(chars, out var written, default, null));
        Assert.Equal("15m", chars[..written].ToString());
        Span<byte> bytes = stackalloc byte[2];
        Assert.False(Timeframe.FifteenMinutes.TryFormat(bytes, out _, default, null));
        Assert.Equal("1d", $"{Timeframe.OneDay}");
    }

    [Fact]
    public void TryFromSeconds_FindsSeedLengthsOnly()
    {
        Assert.True(Timeframe.TryFromSeconds(14400, out var tf));
        Assert.Equal(Timeframe.FourHours, tf);
        Assert.False(Timeframe.TryFromSeconds(120, out _));
    }
}
