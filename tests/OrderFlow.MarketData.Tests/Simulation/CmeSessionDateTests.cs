using System.Globalization;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Tests.Simulation;

/// <summary>The CME trading date: sessions from 17:00 America/Chicago, daylight-saving aware (issue 15).</summary>
public class CmeSessionDateTests
{
    [Theory]
    [InlineData("2026-10-29T21:59:59Z", "2026-10-29")] // 16:59:59 CDT
    [InlineData("2026-10-29T22:00:00Z", "2026-10-30")] // 17:00 CDT: the next session
    [InlineData("2026-10-29T23:30:00Z", "2026-10-30")]
    [InlineData("2026-10-30T00:00:00Z", "2026-10-30")]
    [InlineData("2026-11-01T22:30:00Z", "2026-11-01")] // DST ended that morning: 16:30 CST, still the Sunday
    [InlineData("2026-11-01T23:00:00Z", "2026-11-02")] // Sunday 17:00 CST opens Monday's session
    [InlineData("2026-11-02T22:59:59Z", "2026-11-02")]
    [InlineData("2026-11-02T23:00:00Z", "2026-11-03")]
    [InlineData("2026-03-07T22:30:00Z", "2026-03-07")] // Saturday, CST: 16:30
    [InlineData("2026-03-08T22:00:00Z", "2026-03-09")] // DST began that morning: 17:00 CDT
    [InlineData("2026-03-08T21:59:59Z", "2026-03-08")]
    public void SessionDate_StartsAt17Chicago(string time, string date) =>
        Assert.Equal(DateOnly.Parse(date, CultureInfo.InvariantCulture), CmeTradingHours.SessionDate(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-10-30", "2026-10-29T22:00:00Z")]
    [InlineData("2026-11-02", "2026-11-01T23:00:00Z")]
    [InlineData("2026-03-09", "2026-03-08T22:00:00Z")]
    [InlineData("2026-03-08", "2026-03-07T23:00:00Z")]
    public void SessionStart_Is17ChicagoTheDayBefore(string date, string start) =>
        Assert.Equal(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), CmeTradingHours.SessionStart(DateOnly.Parse(date, CultureInfo.InvariantCulture)));

    [Fact]
    public void SessionStart_AgreesWithTheTimeZoneDatabase()
    {
        TimeZoneInfo chicago;
        try
        {
            chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        }
        catch (TimeZoneNotFoundException)
        {
            return; // no tz data on this machine: the fixed cases above still hold
        }

        for (var date = new DateOnly(2008, 1, 1); date < new DateOnly(2031, 1, 1); date = date.AddDays(1))
        {
            var eve = date.AddDays(-1).ToDateTime(new TimeOnly(17, 0), DateTimeKind.Unspecified);
            var expected = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(eve, chicago), TimeSpan.Zero);
            Assert.Equal(expected, CmeTradingHours.SessionStart(date));
        }
    }
}
