namespace OrderFlow.Candles;

/// <summary>
/// Conversions between the integer timestamps that arrive from feeds (Unix seconds or Unix milliseconds, UTC)
/// and the Unix seconds that <see cref="Candle"/> uses.
/// </summary>
/// <remarks>
/// Feeds are not consistent about units: the seed's WebSocket server sends milliseconds, Redis readers store
/// seconds. The rule used everywhere in OrderFlow is the seed's: a value of at least
/// <see cref="MillisecondsThreshold"/> (1e11) is milliseconds, a smaller one is seconds. 1e11 seconds is the year
/// 5138 and 1e11 milliseconds is 1973-03-03, so real data on either side is never ambiguous.
/// </remarks>
public static class UnixTime
{
    /// <summary>The smallest value read as milliseconds: 100,000,000,000 (1e11).</summary>
    public const long MillisecondsThreshold = 100_000_000_000L;

    /// <summary>The smallest valid time in Unix seconds: 0 (1970-01-01T00:00:00Z).</summary>
    public const long MinSeconds = 0;

    /// <summary>
    /// The largest valid time in Unix seconds: 99,999,999,999 (year 5138), the last value read as seconds. Capping
    /// times here keeps every valid time unambiguous: written as Unix seconds, it reads back as seconds.
    /// </summary>
    public const long MaxSeconds = MillisecondsThreshold - 1;

    /// <summary>The largest valid time in Unix milliseconds: 99,999,999,999,999 (the last millisecond of <see cref="MaxSeconds"/>).</summary>
    public const long MaxMilliseconds = (MaxSeconds * 1000) + 999;

    /// <summary>
    /// Converts a timestamp in Unix seconds or Unix milliseconds to Unix seconds, rounding milliseconds down.
    /// </summary>
    /// <param name="secondsOrMilliseconds">A Unix time; at least 1e11 means milliseconds.</param>
    /// <param name="unixSeconds">The time in Unix seconds, when the value is in range.</param>
    /// <returns><see langword="false"/> when the value is negative or later than <see cref="MaxSeconds"/> (year 5138); never throws.</returns>
    public static bool TryToSeconds(long secondsOrMilliseconds, out long unixSeconds)
    {
        if (secondsOrMilliseconds >= MillisecondsThreshold)
        {
            if (secondsOrMilliseconds <= MaxMilliseconds)
            {
                unixSeconds = secondsOrMilliseconds / 1000;
                return true;
            }
        }
        else if (secondsOrMilliseconds >= MinSeconds)
        {
            unixSeconds = secondsOrMilliseconds;
            return true;
        }

        unixSeconds = 0;
        return false;
    }

    /// <summary>
    /// Converts a timestamp in Unix seconds or Unix milliseconds to Unix milliseconds.
    /// </summary>
    /// <param name="secondsOrMilliseconds">A Unix time; at least 1e11 means milliseconds.</param>
    /// <param name="unixMilliseconds">The time in Unix milliseconds, when the value is in range.</param>
    /// <returns><see langword="false"/> when the value is negative or later than <see cref="MaxSeconds"/> (year 5138); never throws.</returns>
    public static bool TryToMilliseconds(long secondsOrMilliseconds, out long unixMilliseconds)
    {
        if (secondsOrMilliseconds >= MillisecondsThreshold)
        {
            if (secondsOrMilliseconds <= MaxMilliseconds)
            {
                unixMilliseconds = secondsOrMilliseconds;
                return true;
            }
        }
        else if (secondsOrMilliseconds >= MinSeconds)
        {
            unixMilliseconds = secondsOrMilliseconds * 1000;
            return true;
        }

        unixMilliseconds = 0;
        return false;
    }

    /// <summary>Converts a <see cref="DateTimeOffset"/> to Unix seconds, rounding down.</summary>
    /// <param name="time">Any instant; its offset is irrelevant.</param>
    /// <returns>The instant in Unix seconds (negative before 1970).</returns>
    public static long ToUnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    /// <summary>Floor division that rounds towards negative infinity, for times before 1970.</summary>
    internal static long FloorDiv(long value, long divisor)
    {
        var q = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? q - 1 : q;
    }
}
