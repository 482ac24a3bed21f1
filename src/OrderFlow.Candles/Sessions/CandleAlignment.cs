namespace OrderFlow.Candles.Sessions;

/// <summary>
/// Where candle buckets start: on multiples of the timeframe since the Unix epoch, UTC (the default), or anchored
/// to a trading session that starts at a local time in a time zone (a CME trading day starts 17:00 America/Chicago).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Utc"/> is what TradingView lightweight-charts and the seed expect: <c>1d</c> opens at UTC midnight,
/// <c>4h</c> at 00:00, 04:00 … UTC. It needs no time zone data.
/// </para>
/// <para>
/// A session-anchored alignment starts each day's buckets at the session start, with the zone's daylight-saving
/// rules: buckets of one hour or more open at <c>sessionStart + k × timeframe</c> and the last one of a session ends
/// at the next session's start (a 23- or 25-hour session on a daylight-saving change gives a shorter or longer last
/// bucket). Timeframes under one hour stay epoch-aligned; they nest inside session buckets whenever the session
/// starts on a whole quarter hour in UTC, as CME's does.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class CandleAlignment
{
    private readonly TimeZoneInfo? _zone;
    private readonly TimeOnly _sessionStart;

    private CandleAlignment(TimeZoneInfo? zone, TimeOnly sessionStart)
    {
        _zone = zone;
        _sessionStart = sessionStart;
    }

    /// <summary>Epoch alignment, UTC: every bucket opens on a multiple of its timeframe since 1970-01-01T00:00Z.</summary>
    public static CandleAlignment Utc { get; } = new(null, default);

    /// <summary>Whether buckets are anchored to a session rather than to the epoch.</summary>
    public bool IsSessionAnchored => _zone is not null;

    /// <summary>The session's time zone, or <see langword="null"/> for <see cref="Utc"/>.</summary>
    public TimeZoneInfo? TimeZone => _zone;

    /// <summary>The local time at which each session starts (midnight for <see cref="Utc"/>).</summary>
    public TimeOnly SessionStart => _sessionStart;

    /// <summary>
    /// The CME Globex trading day: sessions start at 17:00 America/Chicago.
    /// </summary>
    /// <returns>The alignment.</returns>
    /// <exception cref="TimeZoneNotFoundException">The machine has no time zone data for America/Chicago; the message says how to install it.</exception>
    public static CandleAlignment CmeGlobex() => Session("America/Chicago", new TimeOnly(17, 0));

    /// <summary>Creates a session-anchored alignment.</summary>
    /// <param name="timeZoneId">An IANA (or, on Windows, Windows) time zone id, e.g. <c>America/Chicago</c>.</param>
    /// <param name="sessionStart">The local time at which each session starts.</param>
    /// <returns>The alignment.</returns>
    /// <exception cref="ArgumentException"><paramref name="timeZoneId"/> is null or blank.</exception>
    /// <exception cref="TimeZoneNotFoundException">The zone is unknown or its data is missing on this machine; the message says which and how to install the data.</exception>
    public static CandleAlignment Session(string timeZoneId, TimeOnly sessionStart)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TimeZoneNotFoundException(
                $"The time zone '{timeZoneId}' is not available on this machine, so session-anchored candles cannot be built. " +
                "Install the IANA time zone database (Debian/Ubuntu: apt-get install tzdata; containers: add the tzdata package) " +
                "or use CandleAlignment.Utc, which needs no time zone data.",
                ex);
        }

        return new CandleAlignment(zone, sessionStart);
    }

    /// <summary>Floors a time to the open time of the bucket of <paramref name="timeframe"/> that contains it.</summary>
    /// <param name="unixSeconds">A time in Unix seconds.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The bucket's open time, in Unix seconds.</returns>
    public long Floor(long unixSeconds, Timeframe timeframe) => GetBucket(unixSeconds, timeframe).Start;

    /// <summary>Returns the bucket of <paramref name="timeframe"/> that contains a time.</summary>
    /// <param name="unixSeconds">A time in Unix seconds, in [<see cref="UnixTime.MinSeconds"/>, <see cref="UnixTime.MaxSeconds"/>].</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The bucket <c>[Start, End)</c> in Unix seconds.</returns>
    public CandleBucket GetBucket(long unixSeconds, Timeframe timeframe)
    {
        if (_zone is null || timeframe < Timeframe.OneHour)
        {
            var start = timeframe.Floor(unixSeconds);
            return new CandleBucket(start, start + timeframe.Seconds);
        }

        var (sessionOpen, sessionEnd) = GetSession(unixSeconds);
        var index = (unixSeconds - sessionOpen) / timeframe.Seconds;
        var bucketStart = sessionOpen + (index * timeframe.Seconds);
        return new CandleBucket(bucketStart, Math.Min(bucketStart + timeframe.Seconds, sessionEnd));
    }

    /// <summary>Describes the alignment, e.g. <c>UTC epoch</c> or <c>session 17:00 America/Chicago</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _zone is null ? "UTC epoch" : $"session {_sessionStart:HH\\:mm} {_zone.Id}";

    private (long Open, long End) GetSession(long unixSeconds)
    {
        var zone = _zone!;
        var localDate = LocalDateOf(unixSeconds, zone);
        var open = SessionOpen(localDate, zone);
        if (open > unixSeconds)
        {
            return (localDate == DateOnly.MinValue ? long.MinValue : SessionOpen(localDate.AddDays(-1), zone), open);
        }

        // At the end of the calendar there is no next session: the last one runs to the end of time.
        return (open, localDate >= DateOnly.MaxValue.AddDays(-1) ? UnixTime.MaxSeconds + 1 : SessionOpen(localDate.AddDays(1), zone));
    }

    private static DateOnly LocalDateOf(long unixSeconds, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddSeconds(unixSeconds), zone));

    private long SessionOpen(DateOnly localDate, TimeZoneInfo zone)
    {
        var local = localDate.ToDateTime(_sessionStart, DateTimeKind.Unspecified);

        // A start time inside a daylight-saving gap does not exist: the session starts when the clocks jump.
        while (zone.IsInvalidTime(local) && local < DateTime.MaxValue.AddHours(-1))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.GetUtcOffset(local);

        // Near the ends of the calendar the UTC instant can fall outside DateTimeOffset's range.
        var ticks = local.Ticks - offset.Ticks;
        if (ticks < DateTime.UnixEpoch.Ticks)
        {
            return (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        }

        return ticks > DateTime.MaxValue.Ticks ? UnixTime.MaxSeconds + 1 : (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    }
}
