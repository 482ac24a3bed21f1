namespace OrderFlow.Candles.Serialization;

/// <summary>
/// The property names of a candle object, in the order they are written: the six OHLCV fields every reader knows, then
/// the order-flow fields only a candle with flow carries.
/// </summary>
internal static class CandleJsonNames
{
    public static ReadOnlySpan<byte> Time => "time"u8;

    public static ReadOnlySpan<byte> Open => "open"u8;

    public static ReadOnlySpan<byte> High => "high"u8;

    public static ReadOnlySpan<byte> Low => "low"u8;

    public static ReadOnlySpan<byte> Close => "close"u8;

    public static ReadOnlySpan<byte> Volume => "volume"u8;

    public static ReadOnlySpan<byte> BuyVolume => "buyVolume"u8;

    public static ReadOnlySpan<byte> SellVolume => "sellVolume"u8;

    /// <summary>Written for people and tools (it is buy − sell); readers ignore it.</summary>
    public static ReadOnlySpan<byte> Delta => "delta"u8;
}
