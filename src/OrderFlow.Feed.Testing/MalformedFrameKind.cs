namespace OrderFlow.Feed.Testing;

/// <summary>The kinds of bad frame <see cref="FeedFaults.SendMalformed"/> can send; <see cref="FeedFaults.GetMalformedPayload"/> gives the exact bytes.</summary>
public enum MalformedFrameKind
{
    /// <summary>Text that is not JSON: <c>{"type":"tick","symbol":"GC","price":2031.1,,"size":2}</c>.</summary>
    InvalidJson = 1,

    /// <summary>A candle message cut off in the middle of a property name.</summary>
    TruncatedJson = 2,

    /// <summary>A tick without its <c>price</c>.</summary>
    MissingField = 3,

    /// <summary>A tick whose <c>price</c> is a string: <c>"price":"2031.1"</c>.</summary>
    WrongFieldType = 4,

    /// <summary>A well-formed message of a type the protocol does not have: <c>{"type":"quote",…}</c>.</summary>
    UnknownType = 5,

    /// <summary>Valid JSON that is not an object: an array.</summary>
    NotAnObject = 6,

    /// <summary>A valid tick message sent as a binary WebSocket frame (the protocol is text only).</summary>
    BinaryFrame = 7,
}
