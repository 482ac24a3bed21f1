using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>Forwards everything to a real store and counts chart saves and TTL touches.</summary>
internal sealed class CountingStore(IChartStore inner) : IChartStore
{
    private int _saves;
    private int _touches;

    public int ChartSaves => Volatile.Read(ref _saves);

    public int ChartTouches => Volatile.Read(ref _touches);

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _saves);
        return inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);
    }

    public Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _touches);
        return inner.TouchChartAsync(symbol, timeframe, cancellationToken);
    }

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadChartAsync(symbol, timeframe, cancellationToken);

    public Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default) => inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadBufferAsync(symbol, timeframe, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) => inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
}
