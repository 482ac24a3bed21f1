using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>
/// An in-memory store whose live writes hang until the test releases them (a hung Redis), and which reads the
/// buffer it was given only then, as a slow serialiser would. Counts the live writes it was asked for.
/// </summary>
internal sealed class GatedLiveStore(IChartStore? inner = null) : IChartStore
{
    private readonly IChartStore _inner = inner ?? new InMemoryChartStore(new ChartStoreOptions());
    private int _liveWrites;

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first buffer written, as read after the release.</summary>
    public TaskCompletionSource<Candle[]> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int LiveWrites => Volatile.Read(ref _liveWrites);

    public async Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _liveWrites);
        Entered.TrySetResult();
        await Release.Task.WaitAsync(cancellationToken);
        Written.TrySetResult(buffer.ToArray());
        await _inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);
    }

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) => _inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => _inner.LoadChartAsync(symbol, timeframe, cancellationToken);

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => _inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => _inner.LoadBufferAsync(symbol, timeframe, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) => _inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
}
