using OrderFlow.Candles;

namespace OrderFlow.ChartServer.Api;

/// <summary>One chart series: a validated symbol and timeframe.</summary>
internal readonly record struct SeriesKey(Symbol Symbol, Timeframe Timeframe)
{
    public override string ToString() => $"{Symbol} {Timeframe}";
}
