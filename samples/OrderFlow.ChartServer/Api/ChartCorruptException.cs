namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The stored 1-year chart of a series is there but cannot be sent: its value is not a JSON array (<c>shape</c>),
/// not an array of candle objects (<c>invalid</c>), or its bars are out of order or duplicated (<c>unsorted</c>).
/// Answered as a 502 problem: the server is fine, what it depends on handed it bad data.
/// </summary>
internal sealed class ChartCorruptException(SeriesKey key, string reason, UInt128? version)
    : Exception($"The stored chart {StoreKey(key)} is corrupt ({reason}).")
{
    public SeriesKey Key { get; } = key;

    /// <summary><c>shape</c>, <c>invalid</c> or <c>unsorted</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>The stored version found corrupt; null when the store refused the value before it had one.</summary>
    public UInt128? Version { get; } = version;

    /// <summary>The store key, as the store's key scheme names it (without a configured key prefix).</summary>
    public static string StoreKey(SeriesKey key) => $"chart:{key.Symbol}:{key.Timeframe}:1year";
}
