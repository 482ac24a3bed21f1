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
}
