using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Sync.Diagnostics;
using OrderFlow.Sync.Engine;

namespace OrderFlow.Sync;

/// <summary>
/// The sync engine, run as a hosted service: keeps the chart store's one-year charts and live keys current for every
/// configured symbol and timeframe, from a market-data source (history, live candles and ticks).
/// </summary>
/// <remarks>
/// <para>
/// The candles themselves live in one <see cref="ChartBook"/> per symbol (merging, propagation to coarser
/// timeframes, derivation, the future limit, the window and the depth cap); the engine only moves data: it
/// <b>restores</b> every chart and live buffer from the store at start, asks the source for history at start and every
/// <see cref="CandleSyncOptions.HistorySyncInterval"/>, hands every event to its book, and writes what changed: live
/// keys at most once per <see cref="CandleSyncOptions.LiveWriteInterval"/> per series (coalesced: the newest state is
/// written, the first change of a quiet series at once and a later one when the interval has passed; a slow store
/// never holds up the feed), charts when history changes them and
/// every <see cref="CandleSyncOptions.ChartSyncInterval"/> (an unchanged chart only has its TTL refreshed).
/// </para>
/// <para>
/// <b>Faults.</b> After a feed reconnect, live candles wait until the backfill of the outage is merged. Store
/// failures are logged, counted and retried; a chart whose stored copy could not be read is not written until it is.
/// Rejected inputs are counted by reason. On stop, pending live writes (without waiting for their interval) and changed
/// charts are flushed within the host's shutdown timeout.
/// </para>
/// </remarks>
public sealed class CandleSyncEngine : BackgroundService
{
    private readonly IMarketDataSource _source;
    private readonly CandleSyncOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SyncMetrics _metrics;
    private readonly SyncState _state;
    private readonly SyncCounters _counters;
    private readonly BackfillGate _gate;
    private readonly LiveWriter _liveWriter;
    private readonly ChartWriter _chartWriter;
    private readonly HistorySchedule _history;
    private readonly StoreResume _resume;
    private readonly FeedEventDispatcher _dispatcher;
    private readonly CancellationTokenSource _writerAbort = new();
    private CancellationToken _shutdownToken;
    private int _disposed;

    internal CandleSyncEngine(IMarketDataSource source, IChartStore store, CandleSyncOptions options, CandleRuleBook rules, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, TimeSpan? liveTtl = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rules);
        _source = source;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new SyncMetrics(meterFactory);
        _state = new SyncState(options, rules);
        _counters = new SyncCounters(_metrics, _logger, _time);
        _gate = new BackfillGate(_time);
        _liveWriter = new LiveWriter(_state, store, _counters, _time, liveTtl ?? ChartStoreOptions.DefaultCurrentTtl, options.LiveWriteInterval);
        _chartWriter = new ChartWriter(_state, store, _counters, options, _time);
        _history = new HistorySchedule(_state, source, options, _time);
        _resume = new StoreResume(_state, store, _counters, _logger, _time);
        _dispatcher = new FeedEventDispatcher(_state, _gate, _counters, _liveWriter, _chartWriter, _history, _logger, _time);
        _metrics.Meter.CreateObservableGauge("orderflow.sync.live.pending", () => _liveWriter.Pending, "{series}", "Series whose newest live state waits to be written (for its live-write interval or for the store).");
    }

    /// <summary>The engine's state now.</summary>
    public CandleSyncStatus Status
    {
        get
        {
            int stored, awaiting;
            lock (_state.Lock)
            {
                stored = _state.Series.Count(s => s.ChartStored);
                awaiting = _gate.Awaiting;
            }

            return new CandleSyncStatus
            {
                FeedState = _dispatcher.FeedState,
                LastMessageAt = _counters.LastMessageAt,
                Messages = _counters.Messages,
                Rejected = _counters.Rejected,
                Reconnects = _counters.Reconnects,
                Series = _state.Series.Length,
                ChartsStored = stored,
                AwaitingBackfill = awaiting,
                PendingLiveWrites = _liveWriter.Pending,
                LastStoreSuccessAt = _counters.LastStoreSuccessAt,
                LastStoreFailureAt = _counters.LastStoreFailureAt,
                LastStoreError = _counters.LastStoreError,
                StoreFailures = _counters.StoreFailures,
            };
        }
    }

    internal TimeProvider TimeProvider => _time;

    internal CandleSyncOptions Options => _options;

    /// <inheritdoc/>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // The flush after the feed loop ends is bounded by the host's shutdown timeout, which this token carries.
        _shutdownToken = cancellationToken;
        return base.StopAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        // Registered both as itself and as a hosted service: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writerAbort.Cancel();
        base.Dispose();
        _metrics.Dispose();
        _chartWriter.Dispose();
        _liveWriter.Dispose();
        _history.Dispose();
        _writerAbort.Dispose();
    }

    /// <summary>A copy of the chart held for a series (for tests).</summary>
    internal Candle[] GetChart(Symbol symbol, Timeframe timeframe)
    {
        lock (_state.Lock)
        {
            return _state.Find(symbol, timeframe) is { } s ? s.Book.GetChart(timeframe).ToArray() : [];
        }
    }

    /// <summary>The newest candle held for a series, if any (for tests).</summary>
    internal Candle? GetLiveCurrent(Symbol symbol, Timeframe timeframe)
    {
        lock (_state.Lock)
        {
            return _state.Find(symbol, timeframe) is { } s && s.Book.TryGetCurrent(timeframe, out var current) ? current : null;
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Starting(_logger, _state.Series.Length, _options);
        await _resume.RestoreAsync(stoppingToken).ConfigureAwait(false);
        await _history.SubscribeAllAsync(stoppingToken).ConfigureAwait(false);
        await _source.StartAsync(stoppingToken).ConfigureAwait(false);

        var liveWriter = Task.Run(() => _liveWriter.RunAsync(_writerAbort.Token), CancellationToken.None);
        var loops = new[]
        {
            Guard("chart-sync", _chartWriter.RunAsync(BeforeFullChartPassAsync, AfterFullChartPass, stoppingToken), stoppingToken),
            Guard("history-sync", _history.RunAsync(stoppingToken), stoppingToken),
            Guard("status-log", RunStatusLogAsync(stoppingToken), stoppingToken),
        };

        await Guard("feed", RunFeedAsync(stoppingToken), stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        await FlushAsync(liveWriter).ConfigureAwait(false);
    }

    private async Task Guard(string name, Task loop, CancellationToken stoppingToken)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A bug in one loop is logged; the flush on stop still runs.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LoopFailed(_logger, name, ex);
        }
    }

    private async Task RunFeedAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _source.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                _dispatcher.Handle(e);
            }
#pragma warning disable CA1031 // One bad event must never stop the worker: it is logged and skipped.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EventFailed(_logger, e.ToString(), ex);
            }
        }
    }

    /// <summary>Before each full chart pass: series the store could not be read for, the window, a backfill that never came.</summary>
    private async Task BeforeFullChartPassAsync(CancellationToken cancellationToken)
    {
        await _resume.RestoreAsync(cancellationToken).ConfigureAwait(false);
        lock (_state.Lock)
        {
            var now = _time.GetUtcNow();
            foreach (var (symbol, book) in _state.Books)
            {
                foreach (var s in _state.Find(symbol, book.Trim(now)))
                {
                    s.ChartPending = true;
                }
            }

            if (_dispatcher.FeedState is SourceConnectionState.Connected or SourceConnectionState.Backfilled && _gate.TimedOut(_options.BackfillTimeout))
            {
                var opened = _dispatcher.OpenAll();
                Log.BackfillTimedOut(_logger, _options.BackfillTimeout, opened);
            }
        }
    }

    private void AfterFullChartPass()
    {
        lock (_state.Lock)
        {
            _liveWriter.RequeueRecent();
        }
    }

    private async Task FlushAsync(Task liveWriter)
    {
        var pendingLive = _liveWriter.Pending;
        var pendingCharts = _chartWriter.PendingCount();
        Log.Flushing(_logger, pendingLive, pendingCharts);
        _liveWriter.Complete();
        try
        {
            await liveWriter.WaitAsync(_shutdownToken).ConfigureAwait(false);
            await _chartWriter.FlushAsync(_shutdownToken).ConfigureAwait(false);
            Log.Stopped(_logger);
        }
        catch (OperationCanceledException)
        {
            Log.FlushTimedOut(_logger);
            try
            {
                await _writerAbort.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The host gave up waiting and disposed the engine already: the writers were cancelled by that.
            }
        }
    }

    private async Task RunStatusLogAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.StatusLogInterval, _time, cancellationToken).ConfigureAwait(false);
            var status = Status;
            Log.Status(_logger, status);
        }
    }
}
