using OrderFlow.Candles;

namespace OrderFlow.MarketData;

/// <summary>
/// A source of history and live candles and ticks: the one contract between where market data comes from and what
/// uses it. The sync engine and the feed server depend only on this.
/// </summary>
/// <remarks>
/// <para>
/// Implementations: the WebSocket feed client (<c>OrderFlow.Feed</c>), Databento's Live gateway
/// (<c>OrderFlow.Databento</c>), and the in-process sources (<see cref="InProcessMarketDataSource"/>: the synthetic
/// market, the DBN and CSV replays), which also answer history on request (<see cref="IHistorySource"/>).
/// </para>
/// <para>
/// A source connects in the background once started, reconnects on its own, and after a reconnect re-requests
/// history for every subscription, sized to cover the outage. Everything it has to say arrives as
/// <see cref="MarketDataEvent"/>s through <see cref="ReadEventsAsync"/>; one consumer reads them.
/// </para>
/// </remarks>
public interface IMarketDataSource : IAsyncDisposable
{
    /// <summary>Starts connecting in the background; returns at once. Connection progress arrives as events.</summary>
    /// <param name="cancellationToken">Cancels the start itself (not the connection, which runs until disposal).</param>
    /// <returns>A task that completes when the background loop has started.</returns>
    ValueTask StartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks for the history of a series now (when connected) and after every reconnect (sized to cover the outage).
    /// Subscribing twice to the same series replaces its depth.
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="historyBars">How many bars to ask for the first time.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the request was sent, or recorded for the next connection.</returns>
    ValueTask SubscribeAsync(Symbol symbol, Timeframe timeframe, int historyBars, CancellationToken cancellationToken = default);

    /// <summary>Reads the source's events until it is disposed or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The events, in the order the source produced them (a live candle update may be superseded by a later one of its series and open time, which then stands in its own place, after every event before it).</returns>
    IAsyncEnumerable<MarketDataEvent> ReadEventsAsync(CancellationToken cancellationToken = default);
}
