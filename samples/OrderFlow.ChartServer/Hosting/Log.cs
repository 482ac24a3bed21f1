namespace OrderFlow.ChartServer.Hosting;

/// <summary>The chart server's log messages (EventIds 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Demo mode: the sync engine runs on the {Source} in process (set Redis:Configuration to serve from Redis instead)")]
    public static partial void DemoStarted(ILogger logger, object source);
}
