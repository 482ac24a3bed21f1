using Microsoft.Extensions.Logging;

namespace OrderFlow.Databento;

/// <summary>The log messages of OrderFlow.Databento (event ids 5000–5099). The API key is never a placeholder value.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Connecting to Databento Live {Host}:{Port} ({Options})")]
    public static partial void Connecting(ILogger logger, string host, int port, string options);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Databento Live session {SessionId} started (gateway {GatewayVersion}, {Subscriptions} subscription lines{Resume})")]
    public static partial void SessionStarted(ILogger logger, string sessionId, string gatewayVersion, int subscriptions, string resume);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Databento Live connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Reconnecting to Databento Live in {Delay} (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Databento Live authentication failed for key {MaskedKey}: {Detail}; not retrying")]
    public static partial void AuthenticationFailed(ILogger logger, string maskedKey, string detail);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Databento Live gateway error: {Message}")]
    public static partial void GatewayError(ILogger logger, string message);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Debug, Message = "Databento Live gateway: {Message}")]
    public static partial void GatewaySystem(ILogger logger, string message);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "No data from Databento Live for {Elapsed} (limit {Limit}): the connection is dead")]
    public static partial void HeartbeatTimeout(ILogger logger, TimeSpan elapsed, TimeSpan limit);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Databento Live resume: dropped {Duplicates} replayed records already delivered")]
    public static partial void DuplicatesDropped(ILogger logger, long duplicates);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Databento Live subscription: {Line}")]
    public static partial void SubscriptionSent(ILogger logger, string line);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "The Databento Live session was stable for {StableTime}; the reconnect backoff starts over")]
    public static partial void BackoffReset(ILogger logger, TimeSpan stableTime);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Databento Historical {Schema} {Symbols} [{Start}, {End}) for key {MaskedKey}")]
    public static partial void HistoricalRequest(ILogger logger, string schema, string symbols, DateTimeOffset start, DateTimeOffset end, string maskedKey);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Debug, Message = "Databento history for {Symbol} {Timeframe} failed: {Reason}")]
    public static partial void AdapterHistoryFailed(ILogger logger, string symbol, string timeframe, string reason, Exception exception);

    [LoggerMessage(EventId = 5039, Level = LogLevel.Information, Message = "Databento history for {Symbol} {Timeframe} requested up to the dataset's available end, {End:o}")]
    public static partial void AdapterHistoryClamped(ILogger logger, string symbol, string timeframe, DateTimeOffset end);

    [LoggerMessage(EventId = 5050, Level = LogLevel.Warning, Message = "Databento history for {Symbol} {Timeframe} went past the {Requested} bars asked for: cut after {Received} records ({Ignored} outside the range or past the count)")]
    public static partial void AdapterHistoryCapped(ILogger logger, string symbol, string timeframe, int requested, long received, long ignored);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "Databento record for instrument {InstrumentId} rejected: {Reason}")]
    public static partial void AdapterRejected(ILogger logger, uint instrumentId, OrderFlow.Candles.CandleRejection reason);
}
