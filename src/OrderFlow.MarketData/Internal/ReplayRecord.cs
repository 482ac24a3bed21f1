using OrderFlow.Candles;

namespace OrderFlow.MarketData.Internal;

/// <summary>One row of a replay recording: a trade, or a candle revealed when it closes.</summary>
/// <param name="Kind">Trade or candle.</param>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timeframe">The candle's timeframe.</param>
/// <param name="Candle">The candle (open time in Unix seconds).</param>
/// <param name="Tick">The trade (times in Unix milliseconds).</param>
/// <param name="Sequence">The row's position in the input, to keep file order among equal times.</param>
internal readonly record struct ReplayRecord(MarketDataEventKind Kind, Symbol Symbol, Timeframe Timeframe, Candle Candle, Tick Tick, long Sequence)
{
    /// <summary>When the row is replayed, in recording Unix milliseconds: a trade at its time, a candle at its close.</summary>
    public long ReplayMs => Kind == MarketDataEventKind.Tick ? Tick.EventTimeMs : (Candle.OpenTime + Timeframe.Seconds) * 1000;

    /// <summary>When the row's data happened, in recording Unix milliseconds: a trade's time, a candle's open.</summary>
    public long EventMs => Kind == MarketDataEventKind.Tick ? Tick.EventTimeMs : Candle.OpenTime * 1000;

    public ReplayRecord Shifted(long offsetMs) => Kind == MarketDataEventKind.Tick
        ? this with { Tick = new Tick(Tick.EventTimeMs + offsetMs, Tick.Price, Tick.Size) }
        : this with { Candle = Candle.WithOpenTime(Candle.OpenTime + (offsetMs / 1000)) };
}
