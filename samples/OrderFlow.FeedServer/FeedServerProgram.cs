using Microsoft.Extensions.Logging;
using OrderFlow.Databento;
using OrderFlow.Databento.Replay;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.FeedServer;

/// <summary>
/// The standalone feed server's whole run, callable in process: <c>Program.cs</c> calls <see cref="RunAsync"/> with the
/// console and Ctrl+C; tests call it with their own writers and token.
/// </summary>
public static class FeedServerProgram
{
    /// <summary>Exit code for a bad command line or an unreadable recording.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses the arguments, loads the data source, serves it until <paramref name="stop"/> is cancelled.</summary>
    /// <returns>0 after a clean stop, <see cref="UsageExitCode"/> for a bad argument or recording.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        CommandLine options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}\n\n{CommandLine.Usage}").ConfigureAwait(false);
            return UsageExitCode;
        }

        if (options.Help)
        {
            await output.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        InProcessMarketDataSource source;
        try
        {
            source = CreateSource(options);
        }
        catch (Exception ex) when (ex is CsvFormatException or DbnFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return UsageExitCode;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information));

        await using var server = new Feed.Testing.FeedServer(new FeedServerOptions { Port = options.Port, DataSource = source }, loggerFactory.CreateLogger<Feed.Testing.FeedServer>());
        await server.StartAsync(stop).ConfigureAwait(false);
        await output.WriteLineAsync($"OrderFlow feed server on {server.Uri} ({source})").ConfigureAwait(false);
        if (source is SyntheticMarket market && !options.AlwaysOpen && !CmeTradingHours.IsOpen(market.Now))
        {
            await output.WriteLineAsync($"The market is closed until {CmeTradingHours.NextOpen(market.Now):yyyy-MM-dd HH:mm} UTC (history is served; use --always-open to stream now).").ConfigureAwait(false);
        }

        if (source is DbnReplaySource dbn)
        {
            foreach (var contract in dbn.Contracts)
            {
                await output.WriteLineAsync($"  {contract}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"Replaying {dbn.First:yyyy-MM-dd HH:mm} to {dbn.Last:yyyy-MM-dd HH:mm} UTC from {dbn.Now:yyyy-MM-dd HH:mm}.").ConfigureAwait(false);
        }

        await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
        }

        await output.WriteLineAsync("Stopping…").ConfigureAwait(false);
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync($"Stopped ({server.ConnectionsAccepted} connection(s) served).").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The data source the options ask for: a DBN replay, a CSV replay or the synthetic market.</summary>
    internal static InProcessMarketDataSource CreateSource(CommandLine options)
    {
        if (options.DbnFiles.Count > 0)
        {
            return DbnReplaySource.Load(options.DbnFiles, new DbnReplayOptions
            {
                Speed = options.Speed,
                StartTime = options.Start,
                Loop = options.Loop,
                Symbols = options.SymbolsGiven ? options.Symbols : null,
                LiveTimeframes = options.LiveTimeframes,
            });
        }

        if (options.CsvFiles.Count > 0)
        {
            return CsvReplaySource.Load(options.CsvFiles, new CsvReplayOptions { Speed = options.Speed, StartTime = options.Start, Loop = options.Loop, LiveTimeframes = options.LiveTimeframes });
        }

        return new SyntheticMarket(new SyntheticMarketOptions
        {
            Seed = options.Seed,
            Speed = options.Speed,
            AlwaysOpen = options.AlwaysOpen,
            Symbols = options.Symbols,
            LiveTimeframes = options.LiveTimeframes,
        });
    }
}
