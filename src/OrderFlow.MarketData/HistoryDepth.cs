using OrderFlow.Candles;

namespace OrderFlow.MarketData;

/// <summary>How much history a series asks its source for, by default.</summary>
/// <remarks>
/// A property of the series, not of a transport: the sync engine subscribes with it whatever the source, and the feed
/// protocol uses it when a request names no depth.
/// </remarks>
public static class HistoryDepth
{
    /// <summary>
    /// The default history depth of a timeframe: 1m 100,000; 5m 50,000; 15m 35,000; 1h 8,760; 4h 2,200; 1d 365
    /// (about a year each, except 1m at about 70 days, which keeps a request's answer to a few megabytes).
    /// </summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The number of bars.</returns>
    public static int DefaultBars(Timeframe timeframe) =>
        timeframe == Timeframe.OneMinute ? 100_000
        : timeframe == Timeframe.FiveMinutes ? 50_000
        : timeframe == Timeframe.FifteenMinutes ? 35_000
        : timeframe == Timeframe.OneHour ? 8_760
        : timeframe == Timeframe.FourHours ? 2_200
        : 365;
}
