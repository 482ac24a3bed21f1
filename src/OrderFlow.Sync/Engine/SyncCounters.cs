using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
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

    public void LiveRejected(string kind, SyncSeriesKey series, CandleRejection rejection)
    {
        Interlocked.Increment(ref _rejected);
        metrics.Rejection(rejection, "live");
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.LiveRejected(logger, kind, series.Symbol.Value, series.Timeframe.Name, rejection);
        }
    }

    public long HistoryRejected(CandleRejectionCounts rejections)
    {
        foreach (var (reason, count) in rejections.NonZero())
        {
            metrics.Rejection(reason, "history", count);
        }

        return rejections.Total;
    }

    public void StoreSucceeded(string operation, long startTimestamp)
    {
        metrics.StoreWrite(operation, time.GetElapsedTime(startTimestamp));
        Volatile.Write(ref _storeSuccessTicks, time.GetUtcNow().UtcTicks);
    }

    public void StoreFailed(string operation, SyncSeriesKey series, Exception ex)
    {
        metrics.StoreFailure(operation);
        Interlocked.Increment(ref _storeFailures);
        Volatile.Write(ref _storeFailureTicks, time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastStoreError, $"{operation} {series.Symbol} {series.Timeframe}: {ex.Message}");
        Log.StoreWriteFailed(logger, operation, series.Symbol.Value, series.Timeframe.Name, ex);
    }

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}

/// <summary>A symbol and timeframe, for log lines and errors.</summary>
internal readonly record struct SyncSeriesKey(Symbol Symbol, Timeframe Timeframe);
