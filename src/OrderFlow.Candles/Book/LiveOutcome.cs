namespace OrderFlow.Candles.Book;

/// <summary>What a live candle or tick did to a <see cref="ChartBook"/>.</summary>
/// <param name="Rejection"><see cref="CandleRejection.None"/> when applied; otherwise why not (nothing changed).</param>
/// <param name="Changed">The charts whose live end changed: the input's timeframe and every coarser one it reached.</param>
public readonly record struct LiveOutcome(CandleRejection Rejection, TimeframeSet Changed)
{
    /// <summary>Whether the input was applied.</summary>
    public bool Applied => Rejection == CandleRejection.None;
}
