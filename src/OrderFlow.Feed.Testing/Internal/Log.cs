using Microsoft.Extensions.Logging;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>The log messages of OrderFlow.Feed.Testing (EventIds 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Feed server listening on {Uri} ({DataSource})")]
    public static partial void ServerStarted(ILogger logger, Uri uri, object dataSource);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Feed server on {Uri} stopped")]
    public static partial void ServerStopped(ILogger logger, Uri uri);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {RemoteEndPoint} opened")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string remoteEndPoint);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Handshake from {RemoteEndPoint} rejected: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string remoteEndPoint, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Connection {ConnectionId} disconnected: its send queue passed {QueueLimit} messages (slow client)")]
    public static partial void SlowClientDisconnected(ILogger logger, long connectionId, int queueLimit);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Connection {ConnectionId} request rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, long connectionId, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Connection {ConnectionId}: {Count} {Symbol} {Timeframe} candles of history sent ({Bytes} bytes, {ElapsedMs} ms)")]
    public static partial void HistoryServed(ILogger logger, long connectionId, int count, string symbol, string timeframe, int bytes, long elapsedMs);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Fault injected: {Count} connection(s) dropped")]
    public static partial void ConnectionsDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Fault injected: stall for {Duration} (none: until resumed)")]
    public static partial void StallStarted(ILogger logger, TimeSpan? duration);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Stall ended")]
    public static partial void StallEnded(ILogger logger);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Information, Message = "Fault injected: malformed frame {Kind} sent to {Clients} client(s)")]
    public static partial void MalformedSent(ILogger logger, MalformedFrameKind kind, int clients);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Information, Message = "Fault injected: raw {MessageType} message of {Bytes} bytes sent to {Clients} client(s)")]
    public static partial void RawSent(ILogger logger, System.Net.WebSockets.WebSocketMessageType messageType, int bytes, int clients);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Information, Message = "Fault injected: {Fault} for the next {Count} message(s) of {Clients} client(s)")]
    public static partial void MessagesArmed(ILogger logger, string fault, int count, int clients);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Information, Message = "Fault injected: history answers {Fault}")]
    public static partial void HistoryFault(ILogger logger, string fault);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Fault injected: new connections are {Fault}")]
    public static partial void DropOnAccept(ILogger logger, string fault);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "The data source failed; history is still served")]
    public static partial void DataSourceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Error, Message = "The data source reported an error: {Message}")]
    public static partial void DataSourceError(ILogger logger, string? message);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "The data source's live stream ended")]
    public static partial void StreamEnded(ILogger logger);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Accepting a connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Error, Message = "Connection {ConnectionId}: the data source failed to answer a history request")]
    public static partial void HistoryFailed(ILogger logger, long connectionId, Exception exception);
}
