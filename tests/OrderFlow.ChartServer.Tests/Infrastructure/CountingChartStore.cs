using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>A store wrapper that counts subscriptions (made and still active) and can be made to fail.</summary>
internal sealed class CountingChartStore(IChartStore inner) : IChartStore
{
    private int _subscribeCalls;
    private int _activeSubscriptions;
    private int _chartLoads;
    private int _bufferLoads;

    public int SubscribeCalls => Volatile.Read(ref _subscribeCalls);

    public int ActiveSubscriptions => Volatile.Read(ref _activeSubscriptions);

    public int ChartLoads => Volatile.Read(ref _chartLoads);

    /// <summary>Reads of the live buffer (one per read of a series' live data).</summary>
    public int BufferLoads => Volatile.Read(ref _bufferLoads);

    /// <summary>When set, every load throws this (a store that cannot be reached).</summary>
    public Exception? Failure { get; set; }

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) =>
        inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _chartLoads);
        return Failure is { } failure ? Task.FromException<Candle[]?>(failure) : inner.LoadChartAsync(symbol, timeframe, cancellationToken);
    }

    public Task<StoredChart?> LoadChartJsonAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _chartLoads);
        return Failure is { } failure ? Task.FromException<StoredChart?>(failure) : inner.LoadChartJsonAsync(symbol, timeframe, cancellationToken);
    }

    public Task<bool> ChartExistsAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) =>
        Failure is { } failure ? Task.FromException<bool>(failure) : inner.ChartExistsAsync(symbol, timeframe, cancellationToken);

    public Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default) =>
        inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) =>
        Failure is { } failure ? Task.FromException<Candle?>(failure) : inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _bufferLoads);
        return Failure is { } failure ? Task.FromException<Candle[]?>(failure) : inner.LoadBufferAsync(symbol, timeframe, cancellationToken);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _subscribeCalls);
        var inner1 = await inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
        Interlocked.Increment(ref _activeSubscriptions);
        return new Counted(inner1, this);
    }

    public async Task<IAsyncDisposable> SubscribeJsonAsync(Symbol symbol, Timeframe timeframe, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _subscribeCalls);
        var inner1 = await inner.SubscribeJsonAsync(symbol, timeframe, handler, cancellationToken);
        Interlocked.Increment(ref _activeSubscriptions);
        return new Counted(inner1, this);
    }

    private sealed class Counted(IAsyncDisposable inner, CountingChartStore owner) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await inner.DisposeAsync();
                Interlocked.Decrement(ref owner._activeSubscriptions);
            }
        }
    }
}
