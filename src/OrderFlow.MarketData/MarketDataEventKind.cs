namespace OrderFlow.MarketData;

/// <summary>What a <see cref="MarketDataEvent"/> carries.</summary>
public enum MarketDataEventKind
{
    /// <summary>No event (the default value).</summary>
    None = 0,

    /// <summary>A live candle update: <see cref="MarketDataEvent.Symbol"/>, <see cref="MarketDataEvent.Timeframe"/>, <see cref="MarketDataEvent.Candle"/>.</summary>
    Candle = 1,

    /// <summary>A trade: <see cref="MarketDataEvent.Symbol"/>, <see cref="MarketDataEvent.Tick"/>.</summary>
    Tick = 2,

    /// <summary>A history answer: <see cref="MarketDataEvent.Symbol"/>, <see cref="MarketDataEvent.Timeframe"/>, <see cref="MarketDataEvent.History"/>, <see cref="MarketDataEvent.RejectedCandles"/>, <see cref="MarketDataEvent.IsBackfill"/>.</summary>
    History = 3,

    /// <summary>The connection changed state: <see cref="MarketDataEvent.State"/>, <see cref="MarketDataEvent.Message"/> (the reason), <see cref="MarketDataEvent.Attempt"/>.</summary>
    Connection = 4,

    /// <summary>The server sent an <c>error</c> message: <see cref="MarketDataEvent.Message"/>.</summary>
    ServerError = 5,

    /// <summary>
    /// Data is missing: live ticks were dropped because the consumer fell behind (<see cref="MarketDataEvent.Message"/> says
    /// how many; the candles for that period come from the feed's candle updates and history), or, with
    /// <see cref="MarketDataEvent.Symbol"/> and <see cref="MarketDataEvent.Timeframe"/> set, the backfill after a reconnect could
    /// not cover the outage of that series (<see cref="MarketDataEvent.Message"/> gives the missing range). Re-request
    /// history to be sure.
    /// </summary>
    LiveGap = 6,
}
