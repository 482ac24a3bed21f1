using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Protocol;

/// <summary>Constants of the feed protocol.</summary>
/// <remarks>
/// The messages (one JSON object per text frame; <see cref="FeedMessageReader"/> and <see cref="FeedMessageWriter"/>):
/// <c>{"type":"candle","symbol":"GC","timeframe":"1m","data":CANDLE}</c>,
/// <c>{"type":"historical_candles","symbol":…,"timeframe":…,"candles":[CANDLE,…]}</c>,
/// <c>{"type":"tick","symbol":…,"price":…,"size":…,"time":ms,"side":"B"}</c> (<c>time</c> and <c>side</c> optional),
/// <c>{"type":"get_history","symbol":…,"timeframe":…,"bars":…}</c>, <c>ping</c>, <c>pong</c> and
/// <c>{"type":"error","message":…}</c>. A CANDLE is
/// <c>{"time":ms,"open":…,"high":…,"low":…,"close":…,"volume":…}</c>, optionally followed by the order flow
/// <c>"buyVolume":…,"sellVolume":…,"delta":…</c> (each optional, 0 when absent; <c>delta</c> is redundant and
/// ignored by readers; <c>buyVolume + sellVolume ≤ volume</c>). A tick's <c>side</c> is Databento's: <c>"B"</c> buy
/// aggressor, <c>"A"</c> sell aggressor, <c>"N"</c> none; any other value rejects the tick
/// (<see cref="FeedRejection.InvalidSide"/>).
/// </remarks>
public static class FeedProtocol
{
    /// <summary>
    /// The depth a <c>get_history</c> without <c>bars</c> means: <see cref="HistoryDepth.DefaultBars"/> (1m 100,000;
    /// 5m 50,000; 15m 35,000; 1h 8,760; 4h 2,200; 1d 365).
    /// </summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The number of bars the seed requests.</returns>
    public static int DefaultHistoryBars(Timeframe timeframe) => HistoryDepth.DefaultBars(timeframe);
}
