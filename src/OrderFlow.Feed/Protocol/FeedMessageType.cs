namespace OrderFlow.Feed.Protocol;

/// <summary>The <c>type</c> of a feed protocol message.</summary>
/// <remarks>The numeric values are stable (metric tags, logs): add new members at the end.</remarks>
public enum FeedMessageType
{
    /// <summary>No message (the default value).</summary>
    None = 0,

    /// <summary>Server → client: <c>historical_candles</c>, the answer to a <see cref="GetHistory"/> request.</summary>
    HistoricalCandles = 1,

    /// <summary>Server → client: <c>candle</c>, a live candle update.</summary>
    Candle = 2,

    /// <summary>Server → client: <c>tick</c>, a trade.</summary>
    Tick = 3,

    /// <summary>Server → client: <c>pong</c>, the answer to a <see cref="Ping"/>.</summary>
    Pong = 4,

    /// <summary>Server → client: <c>error</c>, with a human-readable message.</summary>
    Error = 5,

    /// <summary>Client → server: <c>get_history</c>.</summary>
    GetHistory = 6,

    /// <summary>Client → server: <c>ping</c>.</summary>
    Ping = 7,
}
