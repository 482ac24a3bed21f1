using Microsoft.Extensions.Logging;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.Diagnostics;

/// <summary>The log messages of OrderFlow.Sync (event ids 3100–3199; the worker sample uses 3000–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Sync engine starting: {SeriesCount} series ({Options})")]
    public static partial void Starting(ILogger logger, int seriesCount, CandleSyncOptions options);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "History {Symbol} {Timeframe}: {Received} received, {Stored} in the chart, {Rejected} rejected{Reasons}{Backfill}")]
    public static partial void HistoryApplied(ILogger logger, string symbol, string timeframe, int received, int stored, long rejected, string reasons, string backfill);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "History {Symbol} {Timeframe}: the feed returned none; built {Count} candles from {Source}")]
    public static partial void HistoryDerived(ILogger logger, string symbol, string timeframe, int count, string source);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Live {Kind} {Symbol} {Timeframe} rejected: {Reason}")]
    public static partial void LiveRejected(ILogger logger, string kind, string symbol, string timeframe, OrderFlow.Candles.CandleRejection reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Chart store {Operation} write failed for {Symbol} {Timeframe}; retried at the next chart sync")]
    public static partial void StoreWriteFailed(ILogger logger, string operation, string symbol, string timeframe, Exception exception);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Feed {State}{Reason}")]
    public static partial void FeedState(ILogger logger, OrderFlow.MarketData.SourceConnectionState state, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "Backfill complete: live merging resumed for {Count} series")]
    public static partial void BackfillComplete(ILogger logger, int count);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "No backfill answer within {Timeout} for {Count} series; live merging resumed without it")]
    public static partial void BackfillTimedOut(ILogger logger, TimeSpan timeout, int count);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Feed server error: {Message}")]
    public static partial void ServerError(ILogger logger, string? message);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Feed live gap: {Message}; history re-requested")]
    public static partial void LiveGap(ILogger logger, string? message);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Error, Message = "Unexpected error while handling {Event}; the event was skipped")]
    public static partial void EventFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Sync status: {Status}")]
    public static partial void Status(ILogger logger, CandleSyncStatus status);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Information, Message = "Sync engine stopping: flushing {PendingLive} live and {PendingCharts} chart writes")]
    public static partial void Flushing(ILogger logger, int pendingLive, int pendingCharts);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning, Message = "Shutdown timeout reached before every write was flushed")]
    public static partial void FlushTimedOut(ILogger logger);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Information, Message = "Sync engine stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Warning, Message = "Live {Kind} {Symbol} {Timeframe} opens past now + Sync:FutureTolerance: rejected as in_future ({Count} since the last warning). Check this machine's clock and the source's; a replay faster than real time needs a larger Sync:FutureTolerance")]
    public static partial void FutureRejected(ILogger logger, string kind, string symbol, string timeframe, long count);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Information, Message = "Restored {Symbol} {Timeframe} from the store: {Chart} chart and {Buffer} live candles, {Held} in the chart")]
    public static partial void Restored(ILogger logger, string symbol, string timeframe, int chart, int buffer, int held);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Error, Message = "Sync loop {Loop} failed; the engine keeps running without it")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);
}
