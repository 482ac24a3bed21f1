using OrderFlow.Candles;

namespace OrderFlow.MarketData;

/// <summary>
/// A source that answers history requests on demand, of any depth, without streaming them: what a server needs to
/// answer each of its clients (the feed server's <c>get_history</c>), beside the one consumer of
/// <see cref="IMarketDataSource"/>.
/// </summary>
/// <remarks>
/// <para>
/// A separate, optional interface rather than a member of <see cref="IMarketDataSource"/>: a source whose history
/// comes only as events (the WebSocket feed client asks its server and the answer arrives through
/// <see cref="IMarketDataSource.ReadEventsAsync"/>, in order with the live stream and re-requested after every
/// reconnect) cannot answer a request directly, and the sync engine never needs it to. Sources whose market lives in
/// this process — the synthetic market, the replays — implement both.
/// </para>
/// <para>
/// History is "as of now" on the source's own clock, so it agrees with what the live stream has sent.
/// <see cref="GetHistoryAsync"/> may be called from several threads at once, concurrently with the event stream.
/// </para>
/// </remarks>
public interface IHistorySource
{
    /// <summary>The symbols the source has data for; a request for any other has no answer to give.</summary>
    IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Returns the latest candles of a series, as of the source's current time.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="bars">How many candles at most (at least 1).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>At most <paramref name="bars"/> valid candles, strictly ascending by open time, each aligned to
    /// <paramref name="timeframe"/>; the last may be the candle still in progress. Empty for a symbol with no data.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bars"/> is less than 1.</exception>
    ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default);
}
