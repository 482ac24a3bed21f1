using OrderFlow.Candles;

namespace OrderFlow.Feed.Client;

/// <summary>
/// One series a <see cref="FeedClient"/> follows, and what its client knows of it: how deep its history goes, the
/// newest candle seen, and the state of its backfill after a reconnect. Guarded by the client's subscription lock.
/// </summary>
internal sealed class FeedSubscription(Symbol symbol, Timeframe timeframe, int bars)
{
    public Symbol Symbol { get; } = symbol;

    public Timeframe Timeframe { get; } = timeframe;

    /// <summary>The history depth asked for, in bars: also the most a backfill may ask.</summary>
    public int Bars { get; set; } = bars;

    /// <summary>The open time of the newest candle seen for this series (live or history), in Unix seconds.</summary>
    public long? LastSeenOpenTime { get; set; }

    /// <summary>Whether a history answer has arrived for this series (so a reconnect backfills instead of loading it whole).</summary>
    public bool HistoryReceived { get; set; }

    /// <summary>Whether the series waits for its backfill after a reconnect.</summary>
    public bool AwaitingBackfill { get; set; }

    /// <summary>
    /// The open time of the last candle seen before the outage the backfill must cover, in Unix seconds; null when
    /// nothing had been seen. It stays put until the backfill is settled (covered or reported as a gap), so live
    /// candles after a reconnect, or a second drop before the answer, cannot move it past the hole.
    /// </summary>
    public long? HoleStart { get; set; }

    /// <summary>How many history requests of this connection wait for their answer; an answer beyond them is unsolicited and dropped.</summary>
    public int PendingHistory { get; set; }

    /// <summary>How many bars the outstanding backfill request asked for.</summary>
    public int BackfillBars { get; set; }
}
