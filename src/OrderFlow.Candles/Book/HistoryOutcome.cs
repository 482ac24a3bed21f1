namespace OrderFlow.Candles.Book;

/// <summary>What a history answer (or a stored chart) did to a <see cref="ChartBook"/>.</summary>
public sealed class HistoryOutcome
{
    internal HistoryOutcome(Timeframe timeframe, int received, CandleRejectionCounts rejections, TimeframeSet changed, bool derived, int chartLength)
    {
        Timeframe = timeframe;
        Received = received;
        Rejections = rejections;
        Changed = changed;
        Derived = derived;
        ChartLength = chartLength;
    }

    /// <summary>The timeframe the candles were for.</summary>
    public Timeframe Timeframe { get; }

    /// <summary>How many candles came in.</summary>
    public int Received { get; }

    /// <summary>The candles turned away, by reason (the window, the future limit, invalid prices …).</summary>
    public CandleRejectionCounts Rejections { get; }

    /// <summary>The charts that changed: the timeframe itself and every timeframe derived from it.</summary>
    public TimeframeSet Changed { get; }

    /// <summary>The answer was empty and the timeframe is now built from a finer one.</summary>
    public bool Derived { get; }

    /// <summary>How many candles the timeframe's chart holds now.</summary>
    public int ChartLength { get; }
}
