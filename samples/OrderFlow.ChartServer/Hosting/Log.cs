namespace OrderFlow.ChartServer.Hosting;

/// <summary>The chart server's log messages (EventIds 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Demo mode: synthetic feed server on {Url} (in process; set Redis:Configuration to serve from Redis instead)")]
    public static partial void DemoFeedStarted(ILogger logger, Uri url);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Demo mode: the shutdown timeout ran out before the feed server stopped; it finishes closing its clients (bounded by its close timeout) before the process exits")]
    public static partial void DemoFeedStopTimedOut(ILogger logger);
}
