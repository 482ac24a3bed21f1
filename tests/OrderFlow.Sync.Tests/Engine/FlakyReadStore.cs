using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>Forwards everything to a real store, except that its reads fail while <see cref="FailReads"/> is set (a store down at start-up).</summary>
internal sealed class FlakyReadStore(IChartStore inner) : IChartStore
{
    private int _failedReads;

    public volatile bool FailReads;

    public int FailedReads => Volatile.Read(ref _failedReads);

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) => inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

    public Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.TouchChartAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => Read(() => inner.LoadChartAsync(symbol, timeframe, cancellationToken));

    public Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default) => inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => Read(() => inner.LoadBufferAsync(symbol, timeframe, cancellationToken));

    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) => inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);

    private Task<T> Read<T>(Func<Task<T>> read)
    {
        if (FailReads)
        {
            Interlocked.Increment(ref _failedReads);
            return Task.FromException<T>(new ChartStoreException("The store is down (test)."));
        }

        return read();
    }
}
