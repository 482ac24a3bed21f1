using Microsoft.Extensions.Logging;

namespace OrderFlow.Redis.Diagnostics;

/// <summary>
/// The log messages of OrderFlow.Redis (event ids 2000–2099). Options are logged through
/// <see cref="ChartStoreOptions.ToString"/>, which masks the password.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Chart store connecting to Redis: {Options}")]
    public static partial void Connecting(ILogger logger, ChartStoreOptions options);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} failed ({FailureType})")]
    public static partial void ConnectionFailed(ILogger logger, System.Net.EndPoint? endpoint, StackExchange.Redis.ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    public static partial void ConnectionRestored(ILogger logger, System.Net.EndPoint? endpoint);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Chart store {Operation} failed for key {Key}")]
    public static partial void OperationFailed(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Skipped {Count} invalid stored candle(s) in {Key}")]
    public static partial void CandlesRejected(ILogger logger, string key, int count);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The stored value of {Key} is not valid candle JSON; treated as missing")]
    public static partial void ValueMalformed(ILogger logger, string key);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "A live update handler for {Channel} threw")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Chart {Key} unchanged; TTL refreshed, value not rewritten")]
    public static partial void ChartUnchanged(ILogger logger, string key);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "{Key} no longer holds what this store wrote (expired, deleted, restored or written by another process); writing it whole")]
    public static partial void InPlaceRefused(ILogger logger, string key);
}
