using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Rules;
using OrderFlow.Feed;
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
/// <b>History.</b> At start-up and every <see cref="CandleSyncOptions.HistorySyncInterval"/> every series' history is
/// requested, normalised with its rules (365-day window, dedupe, OHLC validity, continuity), merged with the chart
/// held (the newer data wins) and stored. A timeframe whose history comes back empty is aggregated from the finest
/// timeframe that has data (a plain OHLCV resample).
/// </para>
/// <para>
/// <b>Live.</b> Candles and ticks go through the live rules into each series' live buffer and are written to the
/// live keys at once, coalesced per series (a slow store never holds up the feed reader: only the newest state of
/// each series waits). Live candles of the finest timeframe (and ticks) are aggregated into every coarser one; a
/// coarser timeframe the feed streams itself is taken from the feed for the buckets it covers. The live candle is
/// merged into the chart (live wins on the same time); charts are written every
/// <see cref="CandleSyncOptions.ChartSyncInterval"/> (an unchanged chart only has its TTL refreshed with <see cref="IChartStore.TouchChartAsync"/>; a key the store lost is written again).
/// </para>
/// <para>
/// <b>Faults.</b> After a feed reconnect, live candles wait until the backfill of the outage is merged. Store
/// failures are logged and counted and retried by the next chart sync. Rejected inputs are counted by reason. On
/// stop, pending live writes and changed charts are flushed within the host's shutdown timeout.
/// </para>
/// </remarks>
public sealed class CandleSyncEngine : BackgroundService
{
    private readonly IMarketDataSource _source;
    private readonly IChartStore _store;
    private readonly CandleSyncOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SyncMetrics _metrics;
    private readonly TimeSpan _liveTtl;
    private readonly Lock _lock = new();
    private readonly SeriesState[] _series;
    private readonly Dictionary<Symbol, SymbolState> _symbols = [];
    private readonly Channel<SeriesState> _liveQueue = Channel.CreateUnbounded<SeriesState>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _chartSignal = new(0);
    private readonly SemaphoreSlim _historySignal = new(0);
    private readonly CancellationTokenSource _writerAbort = new();
    private CancellationToken _shutdownToken;
    private int _disposed;

    private FeedConnectionState _feedState;
    private bool _everConnected;
    private long _connectedTimestamp;
    private long _lastMessageTicks;
    private long _messages;
    private long _rejected;
    private long _reconnects;
    private long _storeSuccessTicks;
    private long _storeFailureTicks;
    private long _storeFailures;
    private string? _lastStoreError;

    internal CandleSyncEngine(IMarketDataSource source, IChartStore store, CandleSyncOptions options, CandleRuleBook rules, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, TimeSpan? liveTtl = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rules);
        _source = source;
        _store = store;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new SyncMetrics(meterFactory);
        _liveTtl = liveTtl ?? ChartStoreOptions.DefaultCurrentTtl;

        var timeframes = options.Timeframes.Select(Timeframe.Parse).Distinct().Order().ToArray();
        var series = new List<SeriesState>();
        foreach (var symbol in options.Symbols.Select(Symbol.Parse).Distinct())
        {
            var state = new SymbolState(symbol);
            _symbols[symbol] = state;
            foreach (var timeframe in timeframes)
            {
                var s = new SeriesState(state, timeframe, rules.Get(symbol, timeframe), options.GetHistoryBars(timeframe));
                state.ByOrdinal[timeframe.Ordinal] = s;
                state.Base ??= s;
                if (!ReferenceEquals(state.Base, s) && state.Base.Timeframe.Divides(timeframe))
                {
                    s.Aggregator = new TimeframeAggregator(state.Base.Timeframe, timeframe);
                    state.Coarse.Add(s);
                }

                series.Add(s);
            }
        }

        _series = [.. series];
        _metrics.Meter.CreateObservableGauge("orderflow.sync.live.pending", () => PendingLiveWrites(), "{series}", "Series whose newest live state waits for the store.");
    }

    /// <summary>The engine's state now.</summary>
    public CandleSyncStatus Status
    {
        get
        {
            int stored = 0, awaiting = 0;
            lock (_lock)
            {
                foreach (var s in _series)
                {
                    stored += s.ChartStored ? 1 : 0;
                    awaiting += s.AwaitingBackfill ? 1 : 0;
                }
            }

            return new CandleSyncStatus
            {
                FeedState = _feedState,
                LastMessageAt = FromTicks(Volatile.Read(ref _lastMessageTicks)),
                Messages = Interlocked.Read(ref _messages),
                Rejected = Interlocked.Read(ref _rejected),
                Reconnects = Interlocked.Read(ref _reconnects),
                Series = _series.Length,
                ChartsStored = stored,
                AwaitingBackfill = awaiting,
                PendingLiveWrites = PendingLiveWrites(),
                LastStoreSuccessAt = FromTicks(Volatile.Read(ref _storeSuccessTicks)),
                LastStoreFailureAt = FromTicks(Volatile.Read(ref _storeFailureTicks)),
                LastStoreError = Volatile.Read(ref _lastStoreError),
                StoreFailures = Interlocked.Read(ref _storeFailures),
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
        _chartSignal.Dispose();
        _historySignal.Dispose();
        _writerAbort.Dispose();
    }

    /// <summary>A copy of the chart held for a series (for tests).</summary>
    internal Candle[] GetChart(Symbol symbol, Timeframe timeframe)
    {
        lock (_lock)
        {
            return Find(symbol, timeframe)?.Chart.ToArray() ?? [];
        }
    }

    /// <summary>The current live candle held for a series, if any (for tests).</summary>
    internal Candle? GetLiveCurrent(Symbol symbol, Timeframe timeframe)
    {
        lock (_lock)
        {
            return Find(symbol, timeframe) is { Live.HasCurrent: true } s ? s.Live.Current : null;
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Starting(_logger, _series.Length, _options);
        foreach (var s in _series)
        {
            await _source.SubscribeAsync(s.Symbol, s.Timeframe, s.HistoryBars, stoppingToken).ConfigureAwait(false);
        }

        await _source.StartAsync(stoppingToken).ConfigureAwait(false);

        var liveWriter = Task.Run(RunLiveWriterAsync, CancellationToken.None);
        var loops = new[]
        {
            Guard("chart-sync", RunChartSyncAsync(stoppingToken), stoppingToken),
            Guard("history-sync", RunHistorySyncAsync(stoppingToken), stoppingToken),
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

    private async Task FlushAsync(Task liveWriter)
    {
        int pendingCharts;
        lock (_lock)
        {
            pendingCharts = _series.Count(s => s.Chart.Count > 0 && s.Chart.Version != s.StoredVersion);
        }

        var pendingLive = PendingLiveWrites();
        Log.Flushing(_logger, pendingLive, pendingCharts);
        _liveQueue.Writer.TryComplete();
        try
        {
            await liveWriter.WaitAsync(_shutdownToken).ConfigureAwait(false);
            await WriteChartsAsync(ChartPass.Changed, _shutdownToken).ConfigureAwait(false);
            Log.Stopped(_logger);
        }
        catch (OperationCanceledException)
        {
            Log.FlushTimedOut(_logger);
            await _writerAbort.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RunFeedAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _source.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _messages);
            try
            {
                lock (_lock)
                {
                    Handle(e);
                }
            }
#pragma warning disable CA1031 // One bad event must never stop the worker: it is logged and skipped.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EventFailed(_logger, e.ToString(), ex);
            }
        }
    }

    private void Handle(in FeedEvent e)
    {
        switch (e.Kind)
        {
            case FeedEventKind.Candle:
                _metrics.Message("candle");
                Touch();
                OnCandle(e.Symbol, e.Timeframe, e.Candle);
                break;
            case FeedEventKind.Tick:
                _metrics.Message("tick");
                Touch();
                OnTick(e.Symbol, e.Tick);
                break;
            case FeedEventKind.History:
                _metrics.Message("history");
                Touch();
                OnHistory(e.Symbol, e.Timeframe, e.History ?? [], e.RejectedCandles, e.IsBackfill);
                break;
            case FeedEventKind.Connection:
                _metrics.Message("connection");
                OnConnection(e);
                break;
            case FeedEventKind.ServerError:
                _metrics.Message("server_error");
                Log.ServerError(_logger, e.Message);
                break;
            case FeedEventKind.LiveGap:
                _metrics.Message("live_gap");
                Log.LiveGap(_logger, e.Message);
                _historySignal.Release();
                break;
        }
    }

    private void Touch() => Volatile.Write(ref _lastMessageTicks, _time.GetUtcNow().UtcTicks);

    private SeriesState? Find(Symbol symbol, Timeframe timeframe) =>
        _symbols.TryGetValue(symbol, out var state) ? state.ByOrdinal[timeframe.Ordinal] : null;

    private void OnConnection(in FeedEvent e)
    {
        _feedState = e.State;
        Log.FeedState(_logger, e.State, e.Message is null ? string.Empty : ": " + e.Message);
        switch (e.State)
        {
            case FeedConnectionState.Connected:
                if (_everConnected)
                {
                    Interlocked.Increment(ref _reconnects);
                    _metrics.Reconnects.Add(1);
                }

                _everConnected = true;
                _connectedTimestamp = _time.GetTimestamp();
                break;
            case FeedConnectionState.Disconnected when _everConnected:
                // Live candles wait for the outage's backfill, so the chart never merges live data over a hole.
                foreach (var s in _series)
                {
                    s.AwaitingBackfill = true;
                }

                break;
            case FeedConnectionState.Backfilled:
                var resumed = ResumeAll();
                Log.BackfillComplete(_logger, resumed);
                break;
        }
    }

    private int ResumeAll()
    {
        var count = 0;
        foreach (var s in _series)
        {
            if (s.AwaitingBackfill)
            {
                FinishBackfill(s);
                count++;
            }
        }

        return count;
    }

    private void OnCandle(Symbol symbol, Timeframe timeframe, Candle candle)
    {
        if (Find(symbol, timeframe) is not { } s)
        {
            return;
        }

        if (s.AwaitingBackfill)
        {
            if (s.Deferred.Count < s.Rules.LiveBufferSize || s.Deferred.ContainsKey(candle.OpenTime))
            {
                s.Deferred[candle.OpenTime] = candle;
            }

            return;
        }

        if (!s.IsBase)
        {
            s.DirectOpenTime = Math.Max(s.DirectOpenTime, timeframe.Floor(candle.OpenTime));
        }

        var rejection = s.Live.ApplyCandle(candle);
        if (rejection != CandleRejection.None)
        {
            Reject(s, "candle", rejection);
            return;
        }

        AfterLiveUpdate(s, timeframe.Floor(candle.OpenTime));
    }

    private void OnTick(Symbol symbol, in Tick tick)
    {
        if (!_symbols.TryGetValue(symbol, out var state) || state.Base.AwaitingBackfill)
        {
            return;
        }

        var s = state.Base;
        var rejection = s.Live.ApplyTick(tick);
        if (rejection != CandleRejection.None)
        {
            Reject(s, "tick", rejection);
            return;
        }

        AfterLiveUpdate(s, s.Timeframe.Floor(tick.EventTimeMs / 1000));
    }

    private void Reject(SeriesState s, string kind, CandleRejection rejection)
    {
        Interlocked.Increment(ref _rejected);
        _metrics.Rejection(rejection, "live");
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.LiveRejected(_logger, kind, s.Symbol.Value, s.Timeframe.Name, rejection);
        }
    }

    private void AfterLiveUpdate(SeriesState s, long openTime)
    {
        if (UpsertLive(s, openTime) is not { } updated)
        {
            return;
        }

        if (s.IsBase)
        {
            foreach (var coarse in s.Owner.Coarse)
            {
                Propagate(coarse, updated);
            }
        }
    }

    /// <summary>Merges the live candle at <paramref name="openTime"/> into the chart and queues the live write.</summary>
    private Candle? UpsertLive(SeriesState s, long openTime)
    {
        if (!s.Live.HasCurrent)
        {
            return null;
        }

        var current = s.Live.Current;
        Candle? updated = null;
        if (current.OpenTime <= openTime)
        {
            updated = current;
        }
        else
        {
            // A late update of a held candle (rare): find it in the buffer.
            var n = s.Live.CopyTo(s.LiveSnapshot);
            for (var i = n - 1; i >= 0; i--)
            {
                if (s.LiveSnapshot[i].OpenTime == openTime)
                {
                    updated = s.LiveSnapshot[i];
                    break;
                }
            }
        }

        if (updated is { } candle)
        {
            s.Chart.Upsert(candle);
        }

        s.LastLiveTimestamp = _time.GetTimestamp();
        if (Interlocked.Exchange(ref s.LiveDirty, 1) == 0)
        {
            _liveQueue.Writer.TryWrite(s);
        }

        return updated;
    }

    private void Propagate(SeriesState coarse, in Candle fine)
    {
        if (coarse.AwaitingBackfill || fine.OpenTime < coarse.AggregateSkipUntil || coarse.Timeframe.Floor(fine.OpenTime) <= coarse.DirectOpenTime)
        {
            return;
        }

        if (coarse.Aggregator!.Update(fine) != CandleRejection.None)
        {
            return;
        }

        var aggregated = coarse.Aggregator.Current;
        var rejection = coarse.Live.ApplyCandle(aggregated);
        if (rejection != CandleRejection.None)
        {
            Reject(coarse, "aggregate", rejection);
            return;
        }

        UpsertLive(coarse, aggregated.OpenTime);
    }

    private void OnHistory(Symbol symbol, Timeframe timeframe, Candle[] history, int rejectedByFeed, bool isBackfill)
    {
        if (Find(symbol, timeframe) is not { } s)
        {
            return;
        }

        if (isBackfill)
        {
            _metrics.Backfilled.Add(history.Length);
        }

        if (rejectedByFeed > 0)
        {
            _metrics.Rejected.Add(rejectedByFeed, new KeyValuePair<string, object?>("reason", "invalid"), new KeyValuePair<string, object?>("source", "feed"));
        }

        if (history.Length == 0)
        {
            if (s.Derived || (!isBackfill && s.Chart.Count == 0 && s.Owner.Base.Timeframe < timeframe))
            {
                s.Derived = true;
                RebuildDerived(s);
            }

            FinishBackfill(s);
            return;
        }

        s.Derived = false;
        var merged = CandleSeries.Merge(s.Chart.Span, history, timeframe, s.Rules, _time.GetUtcNow());
        long rejected = 0;
        foreach (var (reason, count) in merged.Rejections.NonZero())
        {
            // The held chart ageing out of the window is not the feed's fault; count it apart.
            _metrics.Rejection(reason, "history", count);
            rejected += count;
        }

        var candles = OverlayLive(s, merged.Candles);
        s.Chart.Set(candles);
        s.ResetLive(candles);
        s.HistoryReceived = true;
        s.ChartPending = true;
        Log.HistoryApplied(_logger, symbol.Value, timeframe.Name, history.Length, candles.Length, rejected, isBackfill ? " (backfill)" : string.Empty);

        if (s.IsBase)
        {
            foreach (var coarse in s.Owner.Coarse)
            {
                Reprime(coarse);
            }
        }

        foreach (var other in s.Owner.ByOrdinal)
        {
            if (other is { Derived: true } && other.Timeframe > timeframe)
            {
                RebuildDerived(other);
            }
        }

        FinishBackfill(s);
        _chartSignal.Release();
    }

    /// <summary>Live wins on the same time: the held live candle replaces a history candle that is not newer.</summary>
    private static Candle[] OverlayLive(SeriesState s, Candle[] candles)
    {
        if (s.LastLiveTimestamp == 0 || !s.Live.HasCurrent)
        {
            return candles;
        }

        var current = s.Live.Current;
        if (candles.Length > 0 && candles[^1].OpenTime == current.OpenTime)
        {
            candles[^1] = current;
        }
        else if (candles.Length == 0 || candles[^1].OpenTime < current.OpenTime)
        {
            Array.Resize(ref candles, candles.Length + 1);
            candles[^1] = current;
        }

        return candles;
    }

    private void FinishBackfill(SeriesState s)
    {
        if (!s.AwaitingBackfill)
        {
            return;
        }

        s.AwaitingBackfill = false;
        if (!s.IsBase && s.Aggregator is not null)
        {
            Reprime(s);
        }

        if (s.Deferred.Count > 0)
        {
            var deferred = s.Deferred.Values.ToArray();
            s.Deferred.Clear();
            foreach (var candle in deferred)
            {
                OnCandle(s.Symbol, s.Timeframe, candle);
            }
        }
    }

    /// <summary>Primes a coarse series' aggregator with the base chart's candles of the current coarse bucket.</summary>
    private void Reprime(SeriesState coarse)
    {
        var fine = coarse.Owner.Base.Chart;
        coarse.Aggregator!.Reset();
        coarse.AggregateSkipUntil = long.MinValue;
        if (fine.Count == 0)
        {
            return;
        }

        var start = coarse.Timeframe.Floor(fine[fine.Count - 1].OpenTime);
        if (fine[0].OpenTime > start)
        {
            // The base history does not reach back to the bucket's start: aggregating would understate it.
            coarse.AggregateSkipUntil = start + coarse.Timeframe.Seconds;
            Log.ShallowBase(_logger, coarse.Owner.Base.Timeframe.Name, coarse.Owner.Base.HistoryBars, coarse.Timeframe.Name);
            return;
        }

        for (var i = fine.LowerBound(start); i < fine.Count; i++)
        {
            coarse.Aggregator.Update(fine[i]);
        }
    }

    private static SeriesState? FindDerivationSource(SeriesState s)
    {
        foreach (var candidate in s.Owner.ByOrdinal)
        {
            if (candidate is not null && candidate.Timeframe < s.Timeframe && candidate.Timeframe.Divides(s.Timeframe) && !candidate.Derived && candidate.Chart.Count > 0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Builds a timeframe the feed has no history for from the finest timeframe that has: a plain resample.</summary>
    private void RebuildDerived(SeriesState s)
    {
        if (FindDerivationSource(s) is not { } source)
        {
            return;
        }

        var candles = OverlayLive(s, CandleAggregation.Aggregate(source.Chart.Span, source.Timeframe, s.Timeframe));
        s.Chart.Set(candles);
        s.ResetLive(candles);
        s.HistoryReceived = true;
        s.ChartPending = true;
        Log.HistoryDerived(_logger, s.Symbol.Value, s.Timeframe.Name, candles.Length, source.Timeframe.Name);
        _chartSignal.Release();
    }

    private int PendingLiveWrites()
    {
        var n = 0;
        foreach (var s in _series)
        {
            n += Volatile.Read(ref s.LiveDirty);
        }

        return n;
    }

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private async Task RunLiveWriterAsync()
    {
        await foreach (var s in _liveQueue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_writerAbort.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Exchange(ref s.LiveDirty, 0);
            Candle current;
            int count;
            lock (_lock)
            {
                if (!s.Live.HasCurrent)
                {
                    continue;
                }

                current = s.Live.Current;
                count = s.Live.CopyTo(s.LiveSnapshot);
            }

            var start = _time.GetTimestamp();
            try
            {
                await _store.SaveLiveAsync(s.Symbol, s.Timeframe, current, s.LiveSnapshot.AsMemory(0, count), _writerAbort.Token).ConfigureAwait(false);
                StoreSucceeded("live", start);
            }
#pragma warning disable CA1031 // A store failure must never stop the writer: logged, counted, retried by the next update or chart sync.
            catch (Exception ex) when (ex is not OperationCanceledException || !_writerAbort.IsCancellationRequested)
#pragma warning restore CA1031
            {
                StoreFailed("live", s, ex);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private enum ChartPass
    {
        /// <summary>Charts that history changed since the writer last took them.</summary>
        Pending,

        /// <summary>Every chart (the periodic sync: the store refreshes TTLs and restores lost keys).</summary>
        All,

        /// <summary>Charts changed since their last successful write (the final flush).</summary>
        Changed,
    }

    private async Task RunChartSyncAsync(CancellationToken cancellationToken)
    {
        var interval = _options.ChartSyncInterval;
        var next = _time.GetTimestamp() + Ticks(interval);
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = TimeSpan.FromSeconds((next - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            var full = remaining <= TimeSpan.Zero || !await WaitAsync(_chartSignal, remaining, cancellationToken).ConfigureAwait(false);
            if (full)
            {
                next = _time.GetTimestamp() + Ticks(interval);
                CheckBackfillTimeout();
            }

            await WriteChartsAsync(full ? ChartPass.All : ChartPass.Pending, cancellationToken).ConfigureAwait(false);
            if (full)
            {
                RequeueRecentLive();
            }
        }
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Waits for a signal or a timeout; true when signalled.</summary>
    private async Task<bool> WaitAsync(SemaphoreSlim signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await signal.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void CheckBackfillTimeout()
    {
        lock (_lock)
        {
            if (_feedState is FeedConnectionState.Connected or FeedConnectionState.Backfilled
                && _time.GetElapsedTime(_connectedTimestamp) >= _options.BackfillTimeout
                && _series.Any(s => s.AwaitingBackfill))
            {
                Log.BackfillTimedOut(_logger, _options.BackfillTimeout, ResumeAll());
            }
        }
    }

    /// <summary>
    /// Queues the live write again for every series updated within the live TTL, so live keys lost by the store (a
    /// restart) come back within one chart-sync interval even when the market is quiet.
    /// </summary>
    private void RequeueRecentLive()
    {
        lock (_lock)
        {
            foreach (var s in _series)
            {
                if (s.LastLiveTimestamp != 0 && _time.GetElapsedTime(s.LastLiveTimestamp) < _liveTtl && Interlocked.Exchange(ref s.LiveDirty, 1) == 0)
                {
                    _liveQueue.Writer.TryWrite(s);
                }
            }
        }
    }

    private async Task WriteChartsAsync(ChartPass pass, CancellationToken cancellationToken)
    {
        foreach (var s in _series)
        {
            if (pass == ChartPass.All && await TryTouchChartAsync(s, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Candle[] snapshot;
            long version;
            lock (_lock)
            {
                if (s.Chart.Count == 0
                    || (pass == ChartPass.Pending && !s.ChartPending)
                    || (pass == ChartPass.Changed && s.Chart.Version == s.StoredVersion))
                {
                    continue;
                }

                if (pass == ChartPass.All)
                {
                    s.Chart.TrimBefore(_time.GetUtcNow().ToUnixTimeSeconds() - (long)s.Rules.HistoryWindow.TotalSeconds);
                }

                s.ChartPending = false;
                snapshot = s.Chart.ToArray();
                version = s.Chart.Version;
            }

            var start = _time.GetTimestamp();
            try
            {
                await _store.SaveChartAsync(s.Symbol, s.Timeframe, snapshot, cancellationToken).ConfigureAwait(false);
                StoreSucceeded("chart", start);
                lock (_lock)
                {
                    s.ChartStored = true;
                    s.StoredVersion = version;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A store failure must never stop the chart sync: logged, counted, retried at the next interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                StoreFailed("chart", s, ex);
            }
        }
    }

    /// <summary>
    /// Keeps an unchanged, stored chart alive with a TTL refresh instead of serialising it again (a year of 1m candles
    /// is megabytes of JSON). False when the chart changed, was never stored, or the store lost it: then it is saved.
    /// True also when the store failed (logged and counted; the next interval tries again).
    /// </summary>
    private async Task<bool> TryTouchChartAsync(SeriesState s, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (s.Chart.Count == 0 || !s.ChartStored || s.ChartPending || s.Chart.Version != s.StoredVersion)
            {
                return false;
            }

            // The window moves on: a chart with candles to drop has changed.
            s.Chart.TrimBefore(_time.GetUtcNow().ToUnixTimeSeconds() - (long)s.Rules.HistoryWindow.TotalSeconds);
            if (s.Chart.Version != s.StoredVersion)
            {
                return false;
            }
        }

        var start = _time.GetTimestamp();
        try
        {
            if (await _store.TouchChartAsync(s.Symbol, s.Timeframe, cancellationToken).ConfigureAwait(false))
            {
                StoreSucceeded("chart", start);
                return true;
            }

            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // As for a save: logged, counted, retried at the next interval (a save now would fail the same way).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StoreFailed("chart", s, ex);
            return true;
        }
    }

    private void StoreSucceeded(string operation, long start)
    {
        _metrics.StoreWrite(operation, _time.GetElapsedTime(start));
        Volatile.Write(ref _storeSuccessTicks, _time.GetUtcNow().UtcTicks);
    }

    private void StoreFailed(string operation, SeriesState s, Exception ex)
    {
        _metrics.StoreFailure(operation);
        Interlocked.Increment(ref _storeFailures);
        Volatile.Write(ref _storeFailureTicks, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastStoreError, $"{operation} {s.Symbol} {s.Timeframe}: {ex.Message}");
        Log.StoreWriteFailed(_logger, operation, s.Symbol.Value, s.Timeframe.Name, ex);
    }

    private async Task RunHistorySyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await WaitAsync(_historySignal, _options.HistorySyncInterval, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var s in _series)
            {
                await _source.SubscribeAsync(s.Symbol, s.Timeframe, s.HistoryBars, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunStatusLogAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.StatusLogInterval, _time, cancellationToken).ConfigureAwait(false);
            Log.Status(_logger, Status);
        }
    }
}
