namespace OrderFlow.MarketData.Simulation;

/// <summary>
/// The simplified CME Globex week the synthetic market trades: open from Sunday 22:00 UTC to Friday 21:00 UTC, with
/// a daily halt from 21:00 to 22:00 UTC (Monday to Thursday).
/// </summary>
/// <remarks>
/// Fixed UTC hours, with no daylight-saving shift and no holidays: close enough to real Globex hours for tests and
/// demos (the real session is 17:00–16:00 Chicago time), and independent of time zone data. Thread-safe.
/// </remarks>
public static class CmeTradingHours
{
    private const long Day = 86_400;
    private const long Hour = 3_600;

    /// <summary>Whether the market is open at <paramref name="time"/>.</summary>
    /// <param name="time">The instant.</param>
    /// <returns><see langword="true"/> inside trading hours.</returns>
    public static bool IsOpen(DateTimeOffset time) => IsOpen(time.ToUnixTimeSeconds());

    /// <summary>Whether the market is open at a Unix time.</summary>
    /// <param name="unixSeconds">The instant in Unix seconds, UTC.</param>
    /// <returns><see langword="true"/> inside trading hours.</returns>
    public static bool IsOpen(long unixSeconds)
    {
        var day = Math.DivRem(unixSeconds, Day, out var secondOfDay);
        if (secondOfDay < 0)
        {
            day--;
            secondOfDay += Day;
        }

        // 1970-01-01 was a Thursday; 0 = Sunday.
        var dayOfWeek = (int)(((day + 4) % 7 + 7) % 7);
        var hour = secondOfDay / Hour;
        return dayOfWeek switch
        {
            6 => false,
            5 => hour < 21,
            0 => hour >= 22,
            _ => hour != 21,
        };
    }

    /// <summary>Returns the first instant at or after <paramref name="time"/> when the market is open.</summary>
    /// <param name="time">The instant.</param>
    /// <returns><paramref name="time"/> itself when the market is open; otherwise the next opening (22:00 UTC).</returns>
    public static DateTimeOffset NextOpen(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(NextOpenMilliseconds(time.ToUnixTimeMilliseconds()));

    /// <summary>The first Unix millisecond at or after <paramref name="unixMilliseconds"/> when the market is open.</summary>
    internal static long NextOpenMilliseconds(long unixMilliseconds)
    {
        var seconds = Math.DivRem(unixMilliseconds, 1000, out var rem);
        if (rem < 0)
        {
            seconds--;
        }

        if (IsOpen(seconds))
        {
            return unixMilliseconds;
        }

        // Closed: every closed stretch ends at 22:00 UTC of this day or of a following one.
        var dayStart = (seconds - (((seconds % Day) + Day) % Day));
        var candidate = dayStart + (22 * Hour);
        while (candidate <= seconds || !IsOpen(candidate))
        {
            candidate += Day;
        }

        return candidate * 1000;
    }

    /// <summary>
    /// The CME trading date (session) <paramref name="time"/> belongs to: a session runs from 17:00 America/Chicago on
    /// the day before its date to 17:00 on its date (the real Globex day, 17:00–16:00 plus the halt), so an evening
    /// trade belongs to the next date. Daylight-saving aware: the boundary is 22:00 UTC under CDT and 23:00 UTC under
    /// CST.
    /// </summary>
    /// <param name="time">The instant.</param>
    /// <returns>The trading date; a Saturday or Sunday only for data outside the trading week.</returns>
    /// <remarks>
    /// Uses the United States rule in force since 2007 (CDT from the second Sunday of March to the first Sunday of
    /// November), computed without time zone data; earlier dates use the same rule.
    /// </remarks>
    public static DateOnly SessionDate(DateTimeOffset time)
    {
        var utc = DateOnly.FromDateTime(time.UtcDateTime);
        return time >= SessionStart(utc.AddDays(1)) ? utc.AddDays(1) : utc;
    }

    /// <summary>The instant the session of a trading date starts: 17:00 America/Chicago on the day before.</summary>
    /// <param name="sessionDate">The trading date.</param>
    /// <returns>22:00 UTC (CDT) or 23:00 UTC (CST) on the day before <paramref name="sessionDate"/>.</returns>
    public static DateTimeOffset SessionStart(DateOnly sessionDate)
    {
        var eve = sessionDate.AddDays(-1);
        var hourUtc = IsCentralDaylightTime(eve) ? 22 : 23;
        return new DateTimeOffset(eve.ToDateTime(new TimeOnly(hourUtc, 0), DateTimeKind.Utc));
    }

    /// <summary>Whether 17:00 Chicago time on <paramref name="date"/> is daylight saving time (CDT).</summary>
    private static bool IsCentralDaylightTime(DateOnly date)
    {
        // The switches happen at 02:00 local, so at 17:00 the day's own rule applies.
        var march = new DateOnly(date.Year, 3, 1);
        var dstStart = march.AddDays(((7 - (int)march.DayOfWeek) % 7) + 7); // second Sunday of March
        var november = new DateOnly(date.Year, 11, 1);
        var dstEnd = november.AddDays((7 - (int)november.DayOfWeek) % 7); // first Sunday of November
        return date >= dstStart && date < dstEnd;
    }
}
