using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Asks the source for history: every series at start and every <see cref="CandleSyncOptions.HistorySyncInterval"/>,
/// and early after a reported live gap (the series named, or every series when the gap names none).
/// </summary>
internal sealed class HistorySchedule(SyncState state, IMarketDataSource source, CandleSyncOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _early = new(0);
    private readonly HashSet<SyncSeries> _requested = [];
    private bool _allRequested;

    /// <summary>Asks again soon for one series' history (<paramref name="symbol"/> empty: every series').</summary>
    public void RequestNow(Symbol symbol, Timeframe timeframe)
    {
        lock (_requested)
        {
            if (symbol.IsEmpty || state.Find(symbol, timeframe) is not { } series)
            {
                _allRequested = true;
            }
            else
            {
                _requested.Add(series);
            }
        }

        _early.Release();
    }

    public async Task SubscribeAllAsync(CancellationToken cancellationToken) =>
        await SubscribeAsync(state.Series, cancellationToken).ConfigureAwait(false);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var early = await Signals.WaitAsync(_early, options.HistorySyncInterval, time, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await SubscribeAsync(early ? TakeRequested() : state.Series, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _early.Dispose();

    private IReadOnlyCollection<SyncSeries> TakeRequested()
    {
        lock (_requested)
        {
            IReadOnlyCollection<SyncSeries> result = _allRequested ? state.Series : [.. _requested];
            _allRequested = false;
            _requested.Clear();
            return result;
        }
    }

    private async Task SubscribeAsync(IReadOnlyCollection<SyncSeries> series, CancellationToken cancellationToken)
    {
        foreach (var s in series)
        {
            await source.SubscribeAsync(s.Symbol, s.Timeframe, s.HistoryBars, cancellationToken).ConfigureAwait(false);
        }
    }
}
