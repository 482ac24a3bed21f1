using System.Net;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>The chart server's log messages (EventIds 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Demo mode: the sync engine runs on the {Source} in process (set Redis:Configuration to serve from Redis instead)")]
    public static partial void DemoStarted(ILogger logger, object source);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Debug, Message = "Refused a request from {Address}: over the {Limit} limit")]
    public static partial void ClientLimited(ILogger logger, IPAddress? address, string limit);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "The stored chart {Key} is corrupt ({Reason}); answering 502 until it is rewritten")]
    public static partial void ChartCorrupt(ILogger logger, string key, string reason);
}
