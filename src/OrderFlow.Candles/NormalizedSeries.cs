namespace OrderFlow.Candles;

/// <summary>
/// The result of <see cref="CandleSeries.Normalize(ReadOnlySpan{RawCandle}, Timeframe, Rules.CandleRules, DateTimeOffset, Sessions.CandleAlignment?)"/>:
/// the clean series and an account of everything that did not make it in.
/// </summary>
public sealed class NormalizedSeries
{
    internal NormalizedSeries(Candle[] candles, CandleRejectionCounts rejections, int inputCount, int duplicates)
    {
        Candles = candles;
        Rejections = rejections;
        InputCount = inputCount;
        Duplicates = duplicates;
    }

    /// <summary>
    /// The candles: strictly ascending by open time, one per bucket, every time aligned to the timeframe, all inside
    /// the window, with the history rules applied.
    /// </summary>
    public Candle[] Candles { get; }

    /// <summary>Inputs that were dropped, by reason.</summary>
    public CandleRejectionCounts Rejections { get; }

    /// <summary>How many inputs were read.</summary>
    public int InputCount { get; }

    /// <summary>How many valid inputs were replaced by a later input for the same bucket (the later one wins).</summary>
    public int Duplicates { get; }

    /// <summary>Summarises the result, e.g. <c>100000 in, 99000 out, 900 duplicates, rejected: InvalidVolume=100</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{InputCount} in, {Candles.Length} out, {Duplicates} duplicates, rejected: {Rejections}";
}
