using System.Runtime.CompilerServices;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>A synthetic market whose live stream can be switched off (tests publish their own events) and whose history can be empty for some timeframes.</summary>
internal sealed class ScriptedSource(SyntheticMarket market, bool stream, params Timeframe[] emptyHistory) : InProcessMarketDataSource
{
    public SyntheticMarket Market { get; } = market;

    public override IReadOnlyList<Symbol> Symbols => Market.Symbols;

    public override string ToString() => "scripted synthetic market";

    public override ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default) =>
        emptyHistory.Contains(timeframe) ? ValueTask.FromResult(Array.Empty<Candle>()) : Market.GetHistoryAsync(symbol, timeframe, bars, cancellationToken);

    public override IAsyncEnumerable<MarketDataEvent> StreamAsync(CancellationToken cancellationToken = default) =>
        stream ? Market.StreamAsync(cancellationToken) : SilentAsync(cancellationToken);

    private static async IAsyncEnumerable<MarketDataEvent> SilentAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}
