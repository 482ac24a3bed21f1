using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>An in-memory store whose live writes take a long time (a slow or hanging Redis) and count themselves.</summary>
internal sealed class SlowStore(IChartStore inner, TimeSpan liveDelay) : IChartStore
{
    private int _liveWrites;

    public int LiveWrites => Volatile.Read(ref _liveWrites);

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) => inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadChartAsync(symbol, timeframe, cancellationToken);

    public async Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _liveWrites);
        await Task.Delay(liveDelay, CancellationToken.None);
        await inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);
    }

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadBufferAsync(symbol, timeframe, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) => inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
}
