using System.Buffers;
using System.IO.Hashing;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Redis;

/// <summary>
/// The chart store: per symbol and timeframe, the one-year chart (<c>chart:{symbol}:{tf}:1year</c>, 24 h), the current
/// live candle (<c>live:{symbol}:{tf}:current</c>, 2 min) and the live buffer (<c>live:{symbol}:{tf}:buffer</c>, the
/// last 500 candles, 10 min), plus push notifications of live updates.
/// </summary>
/// <remarks>
/// Implementations: <see cref="RedisChartStore"/> and <see cref="InMemoryChartStore"/>. Both are thread-safe. Values
/// are stored as JSON with times in Unix seconds (<see cref="CandleJsonWriter"/>); invalid stored candles are skipped on
/// load and counted, never thrown. <see cref="LoadChartJsonAsync"/> and <see cref="SubscribeJsonAsync"/> hand the stored
/// and published bytes on unread, for relaying them without writing them again.
/// Cancellation is observed before a command is sent; a command already sent completes (bounded by the client's
/// timeout).
/// </remarks>
public interface IChartStore
{
    /// <summary>Stores the chart of a symbol and timeframe (ascending candles) with the chart TTL.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="candles">The candles, ascending by time.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>
    /// True when the value was written; false when it was byte-for-byte the value this store last wrote to the key,
    /// which is still there: then only its TTL is refreshed.
    /// </returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes only what changed in a chart since this store last wrote it: its oldest candles dropped and its changed
    /// tail (<paramref name="changes"/>, as <see cref="ChartBook.TakeChanges"/> reports them), in place, so a live
    /// minute costs a few hundred bytes instead of the whole year. The stored value stays one JSON array that any
    /// parser reads as the changed chart (with whitespace where dropped candles were and at its end).
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="changes">How the chart changed since this store last wrote it.</param>
    /// <param name="tail">The chart's candles from <see cref="ChartChanges.FirstChanged"/> on (after the drop).</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>
    /// True when the stored chart now holds the changed chart; false when nothing was written and the caller must save
    /// the whole chart with <see cref="SaveChartAsync"/>: the changes are a reset, this store has not written the key
    /// (or forgot it after a failure), the key no longer holds what it wrote (expired, deleted, restored from a
    /// snapshot, written by another process), or the value is due for compaction. The default implementation always
    /// answers false, so implementations written before this method keep working.
    /// </returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<bool> SaveChartChangesAsync(Symbol symbol, Timeframe timeframe, ChartChanges changes, ReadOnlyMemory<Candle> tail, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <summary>
    /// Refreshes the chart TTL of a symbol and timeframe without sending the chart, when the key still exists and this
    /// store wrote it: the cheap way to keep an unchanged chart alive.
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>
    /// True when the TTL was refreshed; false when the key is gone (expired, deleted, the server restarted) or this
    /// store has not written it, and the caller must save the chart again with <see cref="SaveChartAsync"/>. The default
    /// implementation always answers false, so implementations written before this method keep working.
    /// </returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <summary>Loads the chart of a symbol and timeframe.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>The valid stored candles, or null when the key is missing, expired or not a JSON array.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the chart of a symbol and timeframe as stored, unread: its JSON bytes and their version, for passing it on
    /// without parsing (see <see cref="StoredChart"/>).
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>
    /// The stored chart, or null when the key is missing or expired, or its value does not have the shape of a JSON
    /// array (then it is logged and counted as malformed, like <see cref="LoadChartAsync"/> does). The candles are not
    /// validated. The default implementation writes what <see cref="LoadChartAsync"/> returns, so implementations
    /// written before this method keep working.
    /// </returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    async Task<StoredChart?> LoadChartJsonAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        var candles = await LoadChartAsync(symbol, timeframe, cancellationToken).ConfigureAwait(false);
        if (candles is null)
        {
            return null;
        }

        var json = new ArrayBufferWriter<byte>((candles.Length * 96) + 2);
        CandleJsonWriter.WriteArray(json, candles);
        return new StoredChart(json.WrittenMemory, XxHash128.HashToUInt128(json.WrittenSpan));
    }

    /// <summary>
    /// Whether the chart key of a symbol and timeframe holds a value, well-formed or not: tells a missing or expired
    /// chart from one that <see cref="LoadChartJsonAsync"/> refused as malformed (both are null there).
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>
    /// True when the key exists. The default implementation returns false (such a store cannot tell, so a malformed
    /// value reads as missing), so implementations written before this method keep working.
    /// </returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<bool> ChartExistsAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <summary>
    /// Stores the current live candle and the live buffer (only its newest <see cref="ChartStoreOptions.BufferSize"/>
    /// candles) in one round trip, and publishes the current candle to subscribers of the symbol and timeframe.
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="current">The current live candle.</param>
    /// <param name="buffer">The recent live candles, ascending by time.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>A task that completes when both keys are written and the update is published.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default);

    /// <summary>Loads the current live candle.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>The candle, or null when the key is missing, expired or invalid.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default);

    /// <summary>Loads the live buffer.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>The valid stored candles, or null when the key is missing, expired or not a JSON array.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes to the live updates of a symbol and timeframe (published by <see cref="SaveLiveAsync"/>, from any
    /// process sharing the store), so chart servers push instead of polling.
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="handler">
    /// Called with each update. Keep it short; an exception it throws is logged and counted, never propagated.
    /// </param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>A handle; dispose it to unsubscribe.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes to the live updates of a symbol and timeframe as published: each update's current candle as its JSON
    /// object, for relaying verbatim (the chart server's WebSocket push) instead of decoding and writing it again.
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="handler">
    /// Called with the UTF-8 JSON of each update's current candle, which was checked to be one valid candle (an
    /// invalid payload is logged and counted, never delivered). The memory is only valid during the call: copy what
    /// you keep. Keep it short; an exception it throws is logged and counted, never propagated.
    /// </param>
    /// <param name="cancellationToken">Cancels the call before anything is sent.</param>
    /// <returns>A handle; dispose it to unsubscribe.</returns>
    /// <exception cref="ChartStoreException">The store could not be reached or rejected the command.</exception>
    /// <remarks>
    /// The default implementation writes each <see cref="LiveCandleUpdate"/> of <see cref="SubscribeAsync"/> with
    /// <see cref="CandleJsonWriter"/>, so implementations written before this method keep working.
    /// </remarks>
    Task<IAsyncDisposable> SubscribeJsonAsync(Symbol symbol, Timeframe timeframe, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeAsync(
            symbol,
            timeframe,
            update =>
            {
                var json = new ArrayBufferWriter<byte>(256);
                CandleJsonWriter.WriteObject(json, update.Current);
                handler(json.WrittenMemory);
            },
            cancellationToken);
    }
}
