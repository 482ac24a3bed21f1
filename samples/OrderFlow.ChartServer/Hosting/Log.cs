namespace OrderFlow.ChartServer.Hosting;

/// <summary>The chart server's log messages (EventIds 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Demo mode: the sync engine runs on the {Source} in process (set Redis:Configuration to serve from Redis instead)")]
    public static partial void DemoStarted(ILogger logger, object source);
}
