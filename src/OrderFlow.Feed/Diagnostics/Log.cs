using Microsoft.Extensions.Logging;

namespace OrderFlow.Feed.Diagnostics;

/// <summary>The log messages of OrderFlow.Feed (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connected to feed {Url}")]
    public static partial void Connected(ILogger logger, string url);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Feed connection lost: {Reason}")]
    public static partial void Disconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Reconnecting to the feed in {Delay} (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Skipped a malformed feed frame: {Fault}; first bytes: {FirstBytes}")]
    public static partial void FrameRejected(ILogger logger, string fault, string firstBytes);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Ignored a feed message of unknown type; first bytes: {FirstBytes}")]
    public static partial void UnknownType(ILogger logger, string firstBytes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "The feed server reported an error: {ServerMessage}")]
    public static partial void ServerError(ILogger logger, string serverMessage);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Backfill complete: {Series} series re-requested after the reconnect have answered")]
    public static partial void Backfilled(ILogger logger, int series);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "The consumer fell behind: dropped {Count} live tick(s); history will fill the gap")]
    public static partial void TicksDropped(ILogger logger, long count);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "History answer for {Symbol} {Timeframe} left out {Rejected} invalid candle(s)")]
    public static partial void HistoryCandlesRejected(ILogger logger, string symbol, string timeframe, int rejected);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Requested {Bars} bars of {Symbol} {Timeframe} history{Backfill}")]
    public static partial void HistoryRequested(ILogger logger, int bars, string symbol, string timeframe, string backfill);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Unexpected error in the feed connection; reconnecting")]
    public static partial void UnexpectedError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Could not connect to feed {Url}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "The feed connection was stable for {StableTime}; the reconnect backoff starts over")]
    public static partial void BackoffReset(ILogger logger, TimeSpan stableTime);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Backfill of {Symbol} {Timeframe} fell short: {Requested} bars asked, {Received} received, not reaching back to the last candle seen; asking for {Next}")]
    public static partial void BackfillShort(ILogger logger, string symbol, string timeframe, int requested, int received, int next);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "Backfill of {Symbol} {Timeframe} cannot cover the outage: {Bars} bar(s) from {From} to {To} are missing (asked {Requested}, received {Received}); reported as a live gap")]
    public static partial void BackfillGap(ILogger logger, string symbol, string timeframe, long bars, string from, string to, int requested, int received);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Error, Message = "Skipped a feed message larger than the limit of {Limit} bytes (Feed:MaxMessageBytes); first bytes: {FirstBytes}")]
    public static partial void MessageTooLarge(ILogger logger, int limit, string firstBytes);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Dropped {Count} feed {Type} message(s): {Reason} (last: {Series}); further drops within {Window} are counted, not logged")]
    public static partial void MessagesDropped(ILogger logger, long count, string type, string reason, string series, TimeSpan window);
}
