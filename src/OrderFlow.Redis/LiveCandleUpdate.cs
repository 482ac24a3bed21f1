using OrderFlow.Candles;

namespace OrderFlow.Redis;

/// <summary>A live update pushed to subscribers: the current candle of a symbol and timeframe.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Timeframe">The timeframe.</param>
/// <param name="Current">The current live candle.</param>
public readonly record struct LiveCandleUpdate(Symbol Symbol, Timeframe Timeframe, Candle Current);
