using System.Globalization;
using OrderFlow.Candles.Flow;

namespace OrderFlow.Candles;

/// <summary>
/// One trade: a price and a size at a point in time.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="EventTimeMs"/> is when the trade happened at the exchange; <see cref="ReceivedTimeMs"/> is when
/// our process received it. Both are Unix milliseconds, UTC. Candles are built on the event time; a feed that
/// does not send one uses the receive time for both (the seed's <c>tick</c> message may omit <c>time</c>).
/// </para>
/// <para>
/// A tick is a plain value and is not validated on construction: it is market data, and the code that consumes
/// it (<see cref="Live.LiveCandleSeries.ApplyTick"/>) rejects a non-finite or non-positive price, a negative size or
/// an out-of-range time with a <see cref="CandleRejection"/>. The default value has price 0 and is always rejected.
/// </para>
/// </remarks>
/// <param name="EventTimeMs">When the trade happened, in Unix milliseconds, UTC.</param>
/// <param name="Price">The trade price, in the same units as candle prices.</param>
/// <param name="Size">The traded quantity (contracts).</param>
/// <param name="ReceivedTimeMs">When the trade was received, in Unix milliseconds, UTC.</param>
public readonly record struct Tick(long EventTimeMs, double Price, double Size, long ReceivedTimeMs)
{
    /// <summary>Creates a tick whose receive time is its event time.</summary>
    /// <param name="eventTimeMs">When the trade happened, in Unix milliseconds, UTC.</param>
    /// <param name="price">The trade price.</param>
    /// <param name="size">The traded quantity.</param>
    public Tick(long eventTimeMs, double price, double size)
        : this(eventTimeMs, price, size, eventTimeMs)
    {
    }

    /// <summary>
    /// The trade's aggressor side, when the feed gives it (Databento trades do; the seed's relay does not): the tick's
    /// size then also counts as the candle's buy or sell volume (see <see cref="Candle.BuyVolume"/>).
    /// </summary>
    public AggressorSide Side { get; init; }

    /// <summary>Formats the tick for logs.</summary>
    /// <returns>The text, invariant culture.</returns>
    public override string ToString() => Side == AggressorSide.Unknown
        ? string.Create(CultureInfo.InvariantCulture, $"{EventTimeMs}ms P={Price} S={Size}")
        : string.Create(CultureInfo.InvariantCulture, $"{EventTimeMs}ms P={Price} S={Size} {Side}");
}
