using OrderFlow.Candles;

namespace OrderFlow.Feed.Protocol;

/// <summary>Constants of the feed protocol.</summary>
public static class FeedProtocol
{
    /// <summary>
    /// The byte that separates frames inside the client's pipe: ASCII RS (0x1E), the JSON text sequence separator of
    /// RFC 7464. Valid JSON never contains it, so a frame that does is malformed anyway.
    /// </summary>
    public const byte FrameSeparator = 0x1E;

    /// <summary>
    /// The seed's default history depth per timeframe: 1m 100,000; 5m 50,000; 15m 35,000; 1h 8,760; 4h 2,200; 1d 365
    /// (about a year each, except 1m at about 70 days).
    /// </summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The number of bars the seed requests.</returns>
    public static int DefaultHistoryBars(Timeframe timeframe) => timeframe.Ordinal switch
    {
        0 => 100_000,
        1 => 50_000,
        2 => 35_000,
        3 => 8_760,
        4 => 2_200,
        _ => 365,
    };
}
