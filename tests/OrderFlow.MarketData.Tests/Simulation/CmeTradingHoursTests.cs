using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Tests.Simulation;

public class CmeTradingHoursTests
{
    [Theory]
    [InlineData("2024-01-02T14:00:00Z", true)]   // Tuesday afternoon
    [InlineData("2024-01-02T20:59:59Z", true)]
    [InlineData("2024-01-02T21:00:00Z", false)]  // daily halt
    [InlineData("2024-01-02T21:59:59Z", false)]
    [InlineData("2024-01-02T22:00:00Z", true)]
    [InlineData("2024-01-05T20:59:59Z", true)]   // Friday before the close
    [InlineData("2024-01-05T21:00:00Z", false)]  // weekend
    [InlineData("2024-01-05T23:00:00Z", false)]
    [InlineData("2024-01-06T12:00:00Z", false)]  // Saturday
    [InlineData("2024-01-07T21:59:59Z", false)]  // Sunday before the open
    [InlineData("2024-01-07T22:00:00Z", true)]
    [InlineData("2024-01-08T00:30:00Z", true)]   // Monday early
    public void IsOpen_FollowsTheWeek(string time, bool open) =>
        Assert.Equal(open, CmeTradingHours.IsOpen(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2024-01-02T14:00:00Z", "2024-01-02T14:00:00Z")]
    [InlineData("2024-01-02T21:30:00Z", "2024-01-02T22:00:00Z")]
    [InlineData("2024-01-05T21:00:00Z", "2024-01-07T22:00:00Z")]
    [InlineData("2024-01-06T03:00:00Z", "2024-01-07T22:00:00Z")]
    [InlineData("2024-01-07T21:59:59.500Z", "2024-01-07T22:00:00Z")]
    public void NextOpen_ReturnsTheNextOpening(string time, string expected)
    {
        var parse = (string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(parse(expected), CmeTradingHours.NextOpen(parse(time)));
    }
}
