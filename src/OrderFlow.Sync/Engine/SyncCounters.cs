using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Sync.Diagnostics;

namespace OrderFlow.Sync.Engine;

/// <summary>The engine's running totals for its status line and health checks, with the metrics and logs that go with them. Thread-safe.</summary>
internal sealed class SyncCounters(SyncMetrics metrics, ILogger logger, TimeProvider time)
{
    private long _lastMessageTicks;
    private long _messages;
    private long _rejected;
    private long _reconnects;
    private long _storeSuccessTicks;
    private long _storeFailureTicks;
    private long _storeFailures;
    private string? _lastStoreError;
    private long _futureWarnedTimestamp;
    private long _futureSinceWarning;

    public SyncMetrics Metrics => metrics;

    public long Messages => Interlocked.Read(ref _messages);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    public DateTimeOffset? LastMessageAt => FromTicks(Volatile.Read(ref _lastMessageTicks));

    public DateTimeOffset? LastStoreSuccessAt => FromTicks(Volatile.Read(ref _storeSuccessTicks));

    public DateTimeOffset? LastStoreFailureAt => FromTicks(Volatile.Read(ref _storeFailureTicks));

    public string? LastStoreError => Volatile.Read(ref _lastStoreError);

    public void Message() => Interlocked.Increment(ref _messages);

    public void MarketMessage(string type)
    {
        metrics.Message(type);
        Volatile.Write(ref _lastMessageTicks, time.GetUtcNow().UtcTicks);
    }

    public void Reconnected()
    {
        Interlocked.Increment(ref _reconnects);
        metrics.Reconnects.Add(1);
    }

    public void LiveRejected(string kind, SeriesKey series, CandleRejection rejection)
    {
        Interlocked.Increment(ref _rejected);
        metrics.Rejection(rejection, "live");
        if (rejection == CandleRejection.InFuture)
        {
            WarnFuture(kind, series);
        }
        else if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.LiveRejected(logger, kind, series.Symbol.Value, series.Timeframe.Name, rejection);
        }
    }

    /// <summary>
    /// Future inputs mean a wrong clock here or at the source (or a replay running faster than real time): a warning,
    /// at most one every 10 minutes, with the count since the last one, rather than one line per tick.
    /// </summary>
    private void WarnFuture(string kind, SeriesKey series)
    {
        var since = Interlocked.Increment(ref _futureSinceWarning);
        var last = Volatile.Read(ref _futureWarnedTimestamp);
        if (last != 0 && time.GetElapsedTime(last) < TimeSpan.FromMinutes(10))
        {
            return;
        }

        Volatile.Write(ref _futureWarnedTimestamp, time.GetTimestamp());
        Interlocked.Exchange(ref _futureSinceWarning, 0);
        Log.FutureRejected(logger, kind, series.Symbol.Value, series.Timeframe.Name, since);
    }

    public long HistoryRejected(CandleRejectionCounts rejections)
    {
        foreach (var (reason, count) in rejections.NonZero())
        {
            metrics.Rejection(reason, "history", count);
        }

        return rejections.Total;
    }

    // The store's own meter counts and times its writes and failures (orderflow.redis.*): here only the health state.
    public void StoreSucceeded() => Volatile.Write(ref _storeSuccessTicks, time.GetUtcNow().UtcTicks);

    public void StoreFailed(string operation, SeriesKey series, Exception ex)
    {
        Interlocked.Increment(ref _storeFailures);
        Volatile.Write(ref _storeFailureTicks, time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastStoreError, $"{operation} {series.Symbol} {series.Timeframe}: {ex.Message}");
        Log.StoreWriteFailed(logger, operation, series.Symbol.Value, series.Timeframe.Name, ex);
    }

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
