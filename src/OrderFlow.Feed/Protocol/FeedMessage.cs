using OrderFlow.Candles;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// One decoded feed protocol message. Which properties hold values depends on <see cref="Type"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term><see cref="Type"/></term><description>valid properties</description></listheader>
/// <item><term><see cref="FeedMessageType.HistoricalCandles"/></term><description><see cref="Symbol"/>, <see cref="Timeframe"/>, <see cref="Candles"/> (validated, in message order), <see cref="RejectedCandles"/></description></item>
/// <item><term><see cref="FeedMessageType.Candle"/></term><description><see cref="Symbol"/>, <see cref="Timeframe"/>, <see cref="Candle"/></description></item>
/// <item><term><see cref="FeedMessageType.Tick"/></term><description><see cref="Symbol"/>, <see cref="Tick"/> (when the frame had no <c>time</c>, <see cref="HasTime"/> is false and the tick's times are 0: the receiver stamps it; its <see cref="Tick.Side"/> is <see cref="Candles.Flow.AggressorSide.Unknown"/> when the frame had no <c>side</c>)</description></item>
/// <item><term><see cref="FeedMessageType.GetHistory"/></term><description><see cref="Symbol"/>, <see cref="Timeframe"/>, <see cref="Bars"/> (0 when absent)</description></item>
/// <item><term><see cref="FeedMessageType.Error"/></term><description><see cref="Text"/></description></item>
/// <item><term><see cref="FeedMessageType.Pong"/>, <see cref="FeedMessageType.Ping"/></term><description>nothing else</description></item>
/// </list>
/// A small value: decoding a candle or tick message allocates nothing.
/// </remarks>
public readonly struct FeedMessage
{
    internal FeedMessage(FeedMessageType type, Symbol symbol, Timeframe timeframe, Candle candle, Tick tick, bool hasTime, int bars, Candle[]? candles, int rejectedCandles, string? text)
    {
        Type = type;
        Symbol = symbol;
        Timeframe = timeframe;
        Candle = candle;
        Tick = tick;
        HasTime = hasTime;
        Bars = bars;
        Candles = candles;
        RejectedCandles = rejectedCandles;
        Text = text;
    }

    /// <summary>The message type.</summary>
    public FeedMessageType Type { get; }

    /// <summary>The symbol (candle, tick, history and get_history messages).</summary>
    public Symbol Symbol { get; }

    /// <summary>The timeframe (candle, history and get_history messages).</summary>
    public Timeframe Timeframe { get; }

    /// <summary>The live candle of a <c>candle</c> message, time in Unix seconds (converted from the wire's milliseconds).</summary>
    public Candle Candle { get; }

    /// <summary>The trade of a <c>tick</c> message, times in Unix milliseconds.</summary>
    public Tick Tick { get; }

    /// <summary>Whether the <c>tick</c> message carried a <c>time</c>.</summary>
    public bool HasTime { get; }

    /// <summary>The <c>bars</c> of a <c>get_history</c> request; 0 when absent.</summary>
    public int Bars { get; }

    /// <summary>The valid candles of a <c>historical_candles</c> message, in message order.</summary>
    public Candle[]? Candles { get; }

    /// <summary>How many candles of a <c>historical_candles</c> message were invalid and left out.</summary>
    public int RejectedCandles { get; }

    /// <summary>The <c>message</c> of an <c>error</c> message.</summary>
    public string? Text { get; }

    /// <summary>Returns a copy of a tick message with its times set to <paramref name="receivedTimeMs"/> when the frame had none.</summary>
    /// <param name="receivedTimeMs">When the frame was received, in Unix milliseconds.</param>
    /// <returns>The message with <see cref="Tick"/> stamped.</returns>
    public FeedMessage WithReceiveTime(long receivedTimeMs)
    {
        var tick = HasTime
            ? Tick with { ReceivedTimeMs = receivedTimeMs }
            : new Tick(receivedTimeMs, Tick.Price, Tick.Size, receivedTimeMs) { Side = Tick.Side };
        return new FeedMessage(Type, Symbol, Timeframe, Candle, tick, HasTime, Bars, Candles, RejectedCandles, Text);
    }
}
