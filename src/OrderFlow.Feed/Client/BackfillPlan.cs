using OrderFlow.Candles;

namespace OrderFlow.Feed.Client;

/// <summary>What a <see cref="FeedClient"/> does with a backfill answer.</summary>
internal enum BackfillDecision
{
    /// <summary>The answer reaches back to the last bar seen before the drop: deliver it.</summary>
    Covered = 0,

    /// <summary>The answer starts too late but the source may have more: ask again with <see cref="BackfillVerdict.Bars"/> bars.</summary>
    AskAgain = 1,

    /// <summary>The source cannot cover the hole: deliver what came and report <see cref="BackfillVerdict.GapFrom"/>..<see cref="BackfillVerdict.GapTo"/>.</summary>
    Gap = 2,
}

/// <summary>The judgement of one backfill answer.</summary>
/// <param name="Decision">What to do.</param>
/// <param name="Bars">For <see cref="BackfillDecision.AskAgain"/>: how many bars to ask for.</param>
/// <param name="GapFrom">For <see cref="BackfillDecision.Gap"/>: the first uncovered open time, in Unix seconds.</param>
/// <param name="GapTo">For <see cref="BackfillDecision.Gap"/>: the end of the uncovered range (exclusive), in Unix seconds.</param>
internal readonly record struct BackfillVerdict(BackfillDecision Decision, int Bars = 0, long GapFrom = 0, long GapTo = 0);

/// <summary>
/// The backfill rules of the feed client, as pure functions: how much to ask for after a reconnect, and whether an
/// answer covers the outage.
/// </summary>
/// <remarks>
/// An answer covers the outage when its oldest candle opens at or before the last candle seen before the drop (that
/// candle too, since its final version may have been missed). The first request is sized from the client's clock,
/// which can be wrong (a skewed clock, or a server that answers "as of" a later moment than it was asked); the answer
/// itself says how far it reaches, so the client asks again with more bars rather than trusting the estimate. Only
/// when the source has nothing older (a short answer) or the subscription's depth is used up is the hole a gap.
/// </remarks>
internal static class BackfillPlan
{
    /// <summary>How many bars to ask for first after a reconnect.</summary>
    /// <param name="sub">The series.</param>
    /// <param name="outageStart">When the connection dropped, in Unix seconds: the start when no candle was seen.</param>
    /// <param name="now">The client's time, in Unix seconds.</param>
    /// <param name="margin">Extra bars on top of the estimate.</param>
    /// <returns>From 1 to the subscription's depth; the whole depth when the series never got its history.</returns>
    public static int FirstRequest(FeedSubscription sub, long outageStart, long now, int margin)
    {
        if (!sub.HistoryReceived)
        {
            return sub.Bars;
        }

        var since = sub.HoleStart ?? outageStart;
        var seconds = sub.Timeframe.Seconds;
        var missing = ((Math.Max(0, now - since) + seconds - 1) / seconds) + 1 + margin;
        return (int)Math.Clamp(missing, 1, sub.Bars);
    }

    /// <summary>Judges a backfill answer.</summary>
    /// <param name="holeStart">The last candle seen before the drop, in Unix seconds; null when none was.</param>
    /// <param name="timeframe">The series' timeframe.</param>
    /// <param name="requested">How many bars were asked for.</param>
    /// <param name="depth">The most bars the subscription may ask for.</param>
    /// <param name="sent">How many candles the server sent, valid or not: fewer than asked means it has no older ones.</param>
    /// <param name="valid">How many valid candles the answer holds.</param>
    /// <param name="oldest">The oldest open time among the valid candles, in Unix seconds (ignored when <paramref name="valid"/> is 0).</param>
    /// <param name="now">The client's time, in Unix seconds (ends the gap of an empty answer).</param>
    /// <param name="margin">Extra bars on top of the shortfall when asking again.</param>
    /// <returns>The verdict.</returns>
    public static BackfillVerdict Assess(long? holeStart, Timeframe timeframe, int requested, int depth, int sent, int valid, long oldest, long now, int margin)
    {
        if (holeStart is not { } from || (valid > 0 && oldest <= from))
        {
            return new BackfillVerdict(BackfillDecision.Covered);
        }

        var seconds = timeframe.Seconds;
        if (sent < requested || requested >= depth || valid == 0)
        {
            var to = valid > 0 ? oldest : Math.Max(from, timeframe.Floor(now)) + seconds;
            return new BackfillVerdict(BackfillDecision.Gap, GapFrom: from, GapTo: to);
        }

        // At least double, so a source that keeps answering "as of" later than asked still converges; and at least
        // the shortfall the answer shows, so one more round trip is usually enough.
        var shortfall = (oldest - from + seconds - 1) / seconds;
        var next = Math.Max(2L * requested, requested + shortfall + margin);
        return new BackfillVerdict(BackfillDecision.AskAgain, Bars: (int)Math.Min(next, depth));
    }
}
