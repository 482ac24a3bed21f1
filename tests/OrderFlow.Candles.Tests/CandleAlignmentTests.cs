using OrderFlow.Candles;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Tests;

public class CandleAlignmentTests
{
    private static long U(int y, int mo, int d, int h, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Utc_IsEpochAligned_AndNeedsNoTimeZone()
    {
        Assert.False(CandleAlignment.Utc.IsSessionAnchored);
        Assert.Null(CandleAlignment.Utc.TimeZone);
        Assert.Equal(new CandleBucket(U(2024, 1, 15, 0), U(2024, 1, 16, 0)), CandleAlignment.Utc.GetBucket(U(2024, 1, 15, 12), Timeframe.OneDay));
    }

    [Fact]
    public void CmeGlobex_Winter_SessionStartsAt2300Utc()
    {
        var cme = CandleAlignment.CmeGlobex();
        Assert.Equal(new CandleBucket(U(2024, 1, 14, 23), U(2024, 1, 15, 23)), cme.GetBucket(U(2024, 1, 15, 12), Timeframe.OneDay));
        Assert.Equal(new CandleBucket(U(2024, 1, 15, 23), U(2024, 1, 16, 23)), cme.GetBucket(U(2024, 1, 15, 23), Timeframe.OneDay));
        Assert.Equal("session 17:00 America/Chicago", cme.ToString());
    }

    [Fact]
    public void CmeGlobex_Summer_SessionStartsAt2200Utc()
    {
        var cme = CandleAlignment.CmeGlobex();
        Assert.Equal(new CandleBucket(U(2024, 7, 1, 22), U(2024, 7, 2, 22)), cme.GetBucket(U(2024, 7, 2, 3), Timeframe.OneDay));
    }

    [Fact]
    public void CmeGlobex_DaylightSavingStart_Gives23HourSession()
    {
        // Clocks in Chicago go forward on Sunday 2024-03-10: the session from Saturday 17:00 CST to Sunday 17:00 CDT is 23 h.
        var cme = CandleAlignment.CmeGlobex();
        var bucket = cme.GetBucket(U(2024, 3, 10, 12), Timeframe.OneDay);
        Assert.Equal(new CandleBucket(U(2024, 3, 9, 23), U(2024, 3, 10, 22)), bucket);
        Assert.Equal(23 * 3600, bucket.End - bucket.Start);
    }

    [Fact]
    public void CmeGlobex_FourHours_StartsAtSessionOpenAndIsCutAtSessionEnd()
    {
        var cme = CandleAlignment.CmeGlobex();
        Assert.Equal(new CandleBucket(U(2024, 1, 15, 3), U(2024, 1, 15, 7)), cme.GetBucket(U(2024, 1, 15, 4), Timeframe.FourHours)); // 21:00 CST + 4h
        var lastOfShortSession = cme.GetBucket(U(2024, 3, 10, 21), Timeframe.FourHours);
        Assert.Equal(U(2024, 3, 10, 22), lastOfShortSession.End);
    }

    [Fact]
    public void CmeGlobex_SubHourTimeframes_StayEpochAligned() =>
        Assert.Equal(CandleAlignment.Utc.GetBucket(U(2024, 1, 15, 4, 7), Timeframe.FifteenMinutes), CandleAlignment.CmeGlobex().GetBucket(U(2024, 1, 15, 4, 7), Timeframe.FifteenMinutes));

    [Fact]
    public void Session_MissingTimeZone_FailsWithAClearMessage()
    {
        var ex = Assert.Throws<TimeZoneNotFoundException>(() => CandleAlignment.Session("Atlantis/Capital", new TimeOnly(17, 0)));
        Assert.Contains("Atlantis/Capital", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tzdata", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CandleAlignment.Utc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_BlankId_Throws() => Assert.Throws<ArgumentException>(() => CandleAlignment.Session(" ", default));

    [Fact]
    public void Floor_EveryTimeOfAWeek_FallsInsideItsBucket()
    {
        var cme = CandleAlignment.CmeGlobex();
        for (var t = U(2024, 3, 7, 0); t < U(2024, 3, 14, 0); t += 617)
        {
            foreach (var tf in Timeframe.All)
            {
                var b = cme.GetBucket(t, tf);
                Assert.True(b.Contains(t), $"{t} {tf} {b}");
                Assert.Equal(b.Start, cme.Floor(t, tf));
            }
        }
    }
}
