namespace OrderFlow.Feed.Protocol;

/// <summary>Why a feed frame was skipped.</summary>
/// <remarks>The numeric values are stable (metric tags, logs): add new members at the end.</remarks>
public enum FeedRejection
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>The frame is not valid JSON (or not valid UTF-8).</summary>
    MalformedJson = 1,

    /// <summary>The frame is valid JSON but not an object.</summary>
    NotAnObject = 2,

    /// <summary>The object has no <c>type</c> property.</summary>
    MissingType = 3,

    /// <summary>The <c>type</c> is not one this client knows; the frame is ignored and counted.</summary>
    UnknownType = 4,

    /// <summary>A property the message type requires is absent.</summary>
    MissingField = 5,

    /// <summary>A property has the wrong JSON type (a string where a number is expected, …).</summary>
    WrongFieldType = 6,

    /// <summary>The <c>symbol</c> is not a valid <see cref="Candles.Symbol"/>.</summary>
    InvalidSymbol = 7,

    /// <summary>The <c>timeframe</c> is not one of <c>1m 5m 15m 1h 4h 1d</c>.</summary>
    InvalidTimeframe = 8,

    /// <summary>The candle's values were rejected (see <see cref="FeedReadError.CandleRejection"/>).</summary>
    InvalidCandle = 9,

    /// <summary>The tick's values were rejected (see <see cref="FeedReadError.CandleRejection"/>).</summary>
    InvalidTick = 10,

    /// <summary>A binary WebSocket frame: the protocol is text only.</summary>
    BinaryFrame = 11,

    /// <summary>The frame is larger than the configured maximum.</summary>
    FrameTooLarge = 12,

    /// <summary>A tick's <c>side</c> is a string other than <c>B</c> (buy aggressor), <c>A</c> (sell aggressor) or <c>N</c> (none).</summary>
    InvalidSide = 13,
}
