using OrderFlow.Candles;

namespace OrderFlow.Feed.Testing;

/// <summary>
/// Where a <see cref="FeedServer"/> gets its market data: candle history on request, and a stream of live events
/// (trades and candle updates) that it broadcasts to every client.
/// </summary>
/// <remarks>
/// Implementations: <see cref="SyntheticMarket"/> (a seeded random walk), <see cref="CsvReplaySource"/> (a
/// recording) and <see cref="DbnReplaySource"/> (Databento DBN files). A source owns its clock: history is "as of now" on that clock, so it agrees with what the live
/// stream has sent. <see cref="GetHistoryAsync"/> may be called from several connections at once, concurrently
/// with the enumeration of <see cref="StreamAsync"/>.
/// </remarks>
public interface IFeedDataSource
{
    /// <summary>The symbols the source serves; requests for any other get an <c>error</c> answer.</summary>
    IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Returns the latest candles of a symbol and timeframe, as of the source's current time.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="bars">How many candles at most (at least 1).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>At most <paramref name="bars"/> valid candles, strictly ascending by open time, each aligned to
    /// <paramref name="timeframe"/>; the last may be the candle still in progress. Empty for a symbol with no data.</returns>
    ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams live events as the source's clock reaches them, until <paramref name="cancellationToken"/> is
    /// cancelled (or, for a finite recording, until it ends).
    /// </summary>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The events, in time order per symbol.</returns>
    IAsyncEnumerable<MarketEvent> StreamAsync(CancellationToken cancellationToken = default);
}
