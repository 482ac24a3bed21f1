using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// What the writers know of one symbol and timeframe: the book that holds its chart and what was stored of it.
/// Guarded by the engine's lock, except <see cref="LiveDirty"/> (atomic) and <see cref="WriterBuffer"/> (the live writer's alone).
/// </summary>
internal sealed class SyncSeries(Symbol symbol, Timeframe timeframe, ChartBook book, CandleRules rules, int historyBars)
{
    public Symbol Symbol { get; } = symbol;

    public Timeframe Timeframe { get; } = timeframe;

    public ChartBook Book { get; } = book;

    public int HistoryBars { get; } = historyBars;

    /// <summary>How many of the newest candles the live buffer key holds (the rules' <see cref="CandleRules.LiveBufferSize"/>).</summary>
    public int LiveBufferSize { get; } = rules.LiveBufferSize;

    /// <summary>
    /// The live writer's copy of the live buffer. Only the live writer touches it: it copies the book's buffer into
    /// it under the lock and serialises it outside, so no other thread can change what is being written.
    /// </summary>
    public Candle[] WriterBuffer { get; } = new Candle[rules.LiveBufferSize];

    /// <summary>The store's chart and live buffer were read and merged into the book; until then the chart is not written (it would replace a stored year).</summary>
    public bool Restored { get; set; }

    /// <summary>History (or derivation, or the window) changed the chart since the chart writer last took it.</summary>
    public bool ChartPending { get; set; }

    public bool ChartStored { get; set; }

    public long StoredVersion { get; set; } = -1;

    /// <summary>The time of the last live change (a <see cref="TimeProvider"/> timestamp), 0 when none.</summary>
    public long LastLiveTimestamp { get; set; }

    /// <summary>
    /// Not 0 while the series waits in the live writer's queue or for its live-write interval (queued once; the newest
    /// state is written): <see cref="LiveWriter.Changed"/> for a live change, <see cref="LiveWriter.Refresh"/> for a
    /// rewrite of unchanged keys only.
    /// </summary>
    public int LiveDirty;

    public long ChartVersion => Book.GetVersion(Timeframe);

    public bool HasChart => !Book.GetChart(Timeframe).IsEmpty;
}
