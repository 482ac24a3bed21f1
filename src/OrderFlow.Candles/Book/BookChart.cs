using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Book;

/// <summary>One timeframe of a <see cref="ChartBook"/>: its chart, the live series that applies the live rules to its inputs, and its place in the chain.</summary>
internal sealed class BookChart
{
    public BookChart(ChartSpec spec)
    {
        Spec = spec;
        Live = new LiveCandleSeries(spec.Timeframe, spec.Rules);
    }

    public ChartSpec Spec { get; }

    public Timeframe Timeframe => Spec.Timeframe;

    public CandleRules Rules => Spec.Rules;

    public ChartBuffer Candles { get; } = new();

    /// <summary>Applies the live rules (spike, continuity, wick clamp, ticks) to this timeframe's own live inputs.</summary>
    public LiveCandleSeries Live { get; }

    /// <summary>
    /// The live series holds the chart's newest candles. Cleared by every change that did not come through it
    /// (history, a stored chart, derivation, propagation); the next live input seeds it again from the chart.
    /// </summary>
    public bool LiveInSync { get; set; }

    /// <summary>The nearest finer timeframe of the book that divides this one: live changes propagate from it.</summary>
    public BookChart? Source { get; set; }

    /// <summary>The coarser timeframes whose <see cref="Source"/> this is.</summary>
    public List<BookChart> Targets { get; } = [];

    /// <summary>The feed's last history answer for this timeframe was empty: the chart is built from a finer one.</summary>
    public bool Derived { get; set; }

    /// <summary>The newest interval the feed streamed directly for this (coarser) timeframe: propagation from finer ones leaves it and older ones alone.</summary>
    public long DirectOpenTime { get; set; } = long.MinValue;

    /// <summary>The latest open time an input may have at <paramref name="now"/>.</summary>
    public long FutureLimit(long now) => now + Spec.FutureToleranceSeconds;

    public bool Covers(long openTime) => Candles.Count > 0 && Candles.First.OpenTime <= openTime;
}
