using OrderFlow.Feed;

namespace OrderFlow.Sync.Engine;

/// <summary>Asks the source for every series' history at start, every <see cref="CandleSyncOptions.HistorySyncInterval"/>, and at once after a reported live gap.</summary>
internal sealed class HistorySchedule(SyncState state, IMarketDataSource source, CandleSyncOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _early = new(0);

    public void RequestNow() => _early.Release();

    public async Task SubscribeAllAsync(CancellationToken cancellationToken)
    {
        foreach (var s in state.Series)
        {
            await source.SubscribeAsync(s.Symbol, s.Timeframe, s.HistoryBars, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Signals.WaitAsync(_early, options.HistorySyncInterval, time, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await SubscribeAllAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _early.Dispose();
}
