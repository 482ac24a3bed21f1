using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Book;

/// <summary>One chart of a <see cref="ChartBook"/>: its timeframe, its rules and how many candles it keeps.</summary>
/// <param name="Timeframe">The timeframe.</param>
/// <param name="Rules">The rules of its history and live inputs (window, continuity, spike and wick limits, live buffer size).</param>
/// <param name="Depth">The most candles the chart keeps (the newest); at least 1. The seed's history depths are 100,000 (1m) to 365 (1d).</param>
public sealed record ChartSpec(Timeframe Timeframe, CandleRules Rules, int Depth)
{
    /// <summary>
    /// How far past "now" a candle may open before it is rejected as <see cref="CandleRejection.InFuture"/>, on every
    /// input (history, stored, live candles and ticks); <see langword="null"/> for one <see cref="Timeframe"/>. A
    /// candle that opens later than that is not the forming one: a bad clock or a bad message.
    /// </summary>
    public TimeSpan? FutureTolerance { get; init; }

    internal long FutureToleranceSeconds => (long)(FutureTolerance ?? Timeframe.Duration).TotalSeconds;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rules);
        Rules.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(Depth, 1);
        if (FutureTolerance is { } tolerance)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        }
    }
}
