using Microsoft.Extensions.Logging;
using OrderFlow.Feed.Testing;
using OrderFlow.FeedServer;

CommandLine options;
try
{
    options = CommandLine.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{CommandLine.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information));

IFeedDataSource source;
try
{
    source = options.CsvFiles.Count > 0
        ? CsvReplaySource.Load(options.CsvFiles, new CsvReplayOptions { Speed = options.Speed, LiveTimeframes = options.LiveTimeframes })
        : new SyntheticMarket(new SyntheticMarketOptions
        {
            Seed = options.Seed,
            Speed = options.Speed,
            AlwaysOpen = options.AlwaysOpen,
            Symbols = options.Symbols,
            LiveTimeframes = options.LiveTimeframes,
        });
}
catch (Exception ex) when (ex is CsvFormatException or IOException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // shut down cleanly instead of being killed
    stop.Cancel();
};

await using var server = new OrderFlow.Feed.Testing.FeedServer(new FeedServerOptions { Port = options.Port, DataSource = source }, loggerFactory.CreateLogger<OrderFlow.Feed.Testing.FeedServer>());
await server.StartAsync(stop.Token);
Console.WriteLine($"OrderFlow feed server on {server.Uri} ({source})");
if (source is SyntheticMarket market && !options.AlwaysOpen && !CmeTradingHours.IsOpen(market.Now))
{
    Console.WriteLine($"The market is closed until {CmeTradingHours.NextOpen(market.Now):yyyy-MM-dd HH:mm} UTC (history is served; use --always-open to stream now).");
}

Console.WriteLine("Press Ctrl+C to stop.");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C.
}

Console.WriteLine("Stopping…");
await server.StopAsync();
Console.WriteLine($"Stopped ({server.ConnectionsAccepted} connection(s) served).");
return 0;
