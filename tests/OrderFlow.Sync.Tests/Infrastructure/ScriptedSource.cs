using System.Runtime.CompilerServices;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>A synthetic market whose live stream can be switched off (tests publish their own events) and whose history can be empty for some timeframes.</summary>
internal sealed class ScriptedSource(SyntheticMarket market, bool stream, params Timeframe[] emptyHistory) : IFeedDataSource
{
    public SyntheticMarket Market { get; } = market;

    public IReadOnlyList<Symbol> Symbols => Market.Symbols;

    public ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default) =>
        emptyHistory.Contains(timeframe) ? ValueTask.FromResult(Array.Empty<Candle>()) : Market.GetHistoryAsync(symbol, timeframe, bars, cancellationToken);

    public IAsyncEnumerable<MarketEvent> StreamAsync(CancellationToken cancellationToken = default) =>
        stream ? Market.StreamAsync(cancellationToken) : SilentAsync(cancellationToken);

    private static async IAsyncEnumerable<MarketEvent> SilentAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}
