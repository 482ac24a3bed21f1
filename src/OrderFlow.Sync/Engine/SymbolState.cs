using OrderFlow.Candles;

namespace OrderFlow.Sync.Engine;

/// <summary>The series of one symbol, by timeframe ordinal.</summary>
internal sealed class SymbolState(Symbol symbol)
{
    public Symbol Symbol { get; } = symbol;

    public SeriesState?[] ByOrdinal { get; } = new SeriesState?[6];

    /// <summary>The finest configured timeframe: ticks update it and its live candles are aggregated into the others.</summary>
    public SeriesState Base { get; set; } = null!;

    public List<SeriesState> Coarse { get; } = [];
}
