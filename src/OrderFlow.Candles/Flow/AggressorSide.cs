namespace OrderFlow.Candles.Flow;

/// <summary>Which side of a trade crossed the spread: the buyer lifting the offer, or the seller hitting the bid.</summary>
/// <remarks>
/// Databento's trades carry it as <c>side</c>, the side that initiated the trade: <c>B</c> (bid: a buy aggressor),
/// <c>A</c> (ask: a sell aggressor), <c>N</c> (none given).
/// </remarks>
public enum AggressorSide : byte
{
    /// <summary>The side is not known (auction trades, implied matches, feeds without the field).</summary>
    Unknown = 0,

    /// <summary>The buyer was the aggressor: the trade counts as buy volume.</summary>
    Buy = 1,

    /// <summary>The seller was the aggressor: the trade counts as sell volume.</summary>
    Sell = 2,
}
