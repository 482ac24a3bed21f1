using OrderFlow.Candles;

namespace OrderFlow.Candles.Tests;

public class UnixTimeTests
{
    [Theory]
    [InlineData(0L, true, 0L)]
    [InlineData(1704067200L, true, 1704067200L)]
    [InlineData(1704067200123L, true, 1704067200L)]
    [InlineData(-1L, false, 0L)]
    [InlineData(long.MaxValue, false, 0L)]
    public void TryToSeconds_FollowsThe1e11Rule(long input, bool ok, long expected)
    {
        Assert.Equal(ok, UnixTime.TryToSeconds(input, out var seconds));
        Assert.Equal(expected, seconds);
    }

    [Theory]
    [InlineData(1704067200L, true, 1704067200000L)]
    [InlineData(1704067200123L, true, 1704067200123L)]
    [InlineData(-5L, false, 0L)]
    public void TryToMilliseconds_FollowsThe1e11Rule(long input, bool ok, long expected)
    {
        Assert.Equal(ok, UnixTime.TryToMilliseconds(input, out var ms));
        Assert.Equal(expected, ms);
    }

    [Fact]
    public void ToUnixSeconds_IgnoresOffset() =>
        Assert.Equal(TestData.T0, UnixTime.ToUnixSeconds(new DateTimeOffset(2023, 12, 31, 18, 0, 0, TimeSpan.FromHours(-6))));
}
