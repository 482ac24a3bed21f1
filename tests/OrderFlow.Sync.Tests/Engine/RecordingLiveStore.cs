using OrderFlow.Candles;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>Forwards everything to an in-memory store and records the current candle of every live write, per series.</summary>
internal sealed class RecordingLiveStore(IChartStore inner) : IChartStore
{
    private readonly List<(Symbol Symbol, Timeframe Timeframe, Candle Current)> _writes = [];

    /// <summary>When set, every live write fails (a store that is down); it is still recorded.</summary>
    public bool FailLiveWrites { get; set; }

    /// <summary>The current candles written for a series, oldest first.</summary>
    public Candle[] Writes(Symbol symbol, Timeframe timeframe)
    {
        lock (_writes)
        {
            return [.. _writes.Where(w => w.Symbol == symbol && w.Timeframe == timeframe).Select(w => w.Current)];
        }
    }

    public async Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default)
    {
        // Recorded once the inner store has it, so a test that sees the write can read it back.
        var fail = FailLiveWrites;
        if (!fail)
        {
            await inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);
        }

        lock (_writes)
        {
            _writes.Add((symbol, timeframe, current));
        }

        if (fail)
        {
            throw new InvalidOperationException("the store is down (test)");
        }
    }

    public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) => inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

    public Task<bool> TouchChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.TouchChartAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadChartAsync(symbol, timeframe, cancellationToken);

    public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

    public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) => inner.LoadBufferAsync(symbol, timeframe, cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) => inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
}
