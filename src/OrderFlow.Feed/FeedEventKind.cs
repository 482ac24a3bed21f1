namespace OrderFlow.Feed;

/// <summary>What a <see cref="FeedEvent"/> carries.</summary>
public enum FeedEventKind
{
    /// <summary>No event (the default value).</summary>
    None = 0,

    /// <summary>A live candle update: <see cref="FeedEvent.Symbol"/>, <see cref="FeedEvent.Timeframe"/>, <see cref="FeedEvent.Candle"/>.</summary>
    Candle = 1,

    /// <summary>A trade: <see cref="FeedEvent.Symbol"/>, <see cref="FeedEvent.Tick"/>.</summary>
    Tick = 2,

    /// <summary>A history answer: <see cref="FeedEvent.Symbol"/>, <see cref="FeedEvent.Timeframe"/>, <see cref="FeedEvent.History"/>, <see cref="FeedEvent.RejectedCandles"/>, <see cref="FeedEvent.IsBackfill"/>.</summary>
    History = 3,

    /// <summary>The connection changed state: <see cref="FeedEvent.State"/>, <see cref="FeedEvent.Message"/> (the reason), <see cref="FeedEvent.Attempt"/>.</summary>
    Connection = 4,

    /// <summary>The server sent an <c>error</c> message: <see cref="FeedEvent.Message"/>.</summary>
    ServerError = 5,

    /// <summary>
    /// Data is missing: live ticks were dropped because the consumer fell behind (<see cref="FeedEvent.Message"/> says
    /// how many; the candles for that period come from the feed's candle updates and history), or, with
    /// <see cref="FeedEvent.Symbol"/> and <see cref="FeedEvent.Timeframe"/> set, the backfill after a reconnect could
    /// not cover the outage of that series (<see cref="FeedEvent.Message"/> gives the missing range). Re-request
    /// history to be sure.
    /// </summary>
    LiveGap = 6,
}
