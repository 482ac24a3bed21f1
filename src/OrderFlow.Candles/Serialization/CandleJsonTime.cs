namespace OrderFlow.Candles.Serialization;

/// <summary>The unit a candle's <c>time</c> field is written in.</summary>
/// <remarks>
/// Readers accept either unit (<see cref="UnixTime.TryToSeconds"/>: 1e11 and above is milliseconds), so the unit is a
/// choice of the writer only: the store and the chart server use seconds (lightweight-charts' <c>UTCTimestamp</c>), the
/// feed protocol milliseconds.
/// </remarks>
public enum CandleJsonTime
{
    /// <summary>Unix seconds, the candle's <see cref="Candle.OpenTime"/> as it is. The default.</summary>
    UnixSeconds = 0,

    /// <summary>
    /// Unix milliseconds; a time before 1973-03-03 (below <see cref="UnixTime.MillisecondsThreshold"/> in milliseconds)
    /// stays in seconds, which is how readers read such small values anyway.
    /// </summary>
    UnixMilliseconds = 1,
}
