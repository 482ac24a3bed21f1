using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Sync.Engine;

/// <summary>What the engine holds for one symbol and timeframe. Guarded by the engine's lock, except <see cref="LiveDirty"/>.</summary>
internal sealed class SeriesState
{
    public SeriesState(SymbolState owner, Timeframe timeframe, CandleRules rules, int historyBars)
    {
        Owner = owner;
        Symbol = owner.Symbol;
        Timeframe = timeframe;
        Rules = rules;
        HistoryBars = historyBars;
        Live = new LiveCandleSeries(timeframe, rules);
        LiveSnapshot = new Candle[rules.LiveBufferSize];
    }

    public SymbolState Owner { get; }

    public Symbol Symbol { get; }

    public Timeframe Timeframe { get; }

    public CandleRules Rules { get; }

    public int HistoryBars { get; }

    public ChartBuffer Chart { get; } = new();

    public LiveCandleSeries Live { get; private set; }

    /// <summary>The live buffer copied out for the live writer (which alone uses it).</summary>
    public Candle[] LiveSnapshot { get; }

    /// <summary>Aggregates the symbol's base (finest) live candles into this timeframe; null for the base series.</summary>
    public TimeframeAggregator? Aggregator { get; set; }

    /// <summary>Aggregated updates of fine candles opening before this are ignored (the base history was too shallow to prime the bucket).</summary>
    public long AggregateSkipUntil { get; set; } = long.MinValue;

    /// <summary>The newest bucket the feed streamed directly for this timeframe: aggregated updates for it and older ones are ignored.</summary>
    public long DirectOpenTime { get; set; } = long.MinValue;

    /// <summary>The feed answered this timeframe's history with nothing: the chart is aggregated from a finer one.</summary>
    public bool Derived { get; set; }

    public bool HistoryReceived { get; set; }

    /// <summary>A feed outage is not backfilled yet: live candles wait in <see cref="Deferred"/>, ticks are dropped (the backfill covers them).</summary>
    public bool AwaitingBackfill { get; set; }

    public SortedDictionary<long, Candle> Deferred { get; } = [];

    /// <summary>History (or a rebuild) changed the chart since the chart writer last took it.</summary>
    public bool ChartPending { get; set; }

    public bool ChartStored { get; set; }

    public long StoredVersion { get; set; } = -1;

    /// <summary>The time of the last accepted live update (a <see cref="TimeProvider"/> timestamp), 0 when none.</summary>
    public long LastLiveTimestamp { get; set; }

    /// <summary>1 while the series waits in the live writer's queue (so it is queued once, and the newest state is written).</summary>
    public int LiveDirty;

    public bool IsBase => ReferenceEquals(Owner.Base, this);

    public void ResetLive(ReadOnlySpan<Candle> seed)
    {
        Live.Seed(seed);
    }
}
