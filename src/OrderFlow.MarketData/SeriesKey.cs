using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.MarketData;

/// <summary>The identity of one candle series: a symbol and a timeframe, such as GC 1m.</summary>
/// <remarks>
/// The key of every per-series table (subscriptions, the sync engine's series and backfill gate, live queues), in
/// place of <c>(Symbol, Timeframe)</c> tuples: the name says what the pair means. It holds no validation of its own:
/// <see cref="Symbol"/> and <see cref="Timeframe"/> are validated values already. The default value has the empty
/// symbol and the default timeframe and names no series. Immutable, equatable and thread-safe.
/// </remarks>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timeframe">The timeframe.</param>
public readonly record struct SeriesKey(Symbol Symbol, Timeframe Timeframe)
{
    /// <summary>Describes the series for logs: <c>GC 1m</c>.</summary>
    /// <returns>The symbol and the timeframe's name, separated by a space.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Symbol} {Timeframe}");
}
