using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Databento.Replay;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.SyncWorker;

/// <summary>
/// The sources whose market runs in the worker's own process: the synthetic market (<c>Source=synthetic</c>, or the
/// dry run) and the replay of DBN files (<c>Source=replay</c>). They feed the sync engine directly through
/// <see cref="IMarketDataSource"/>: no feed server, no socket, no JSON. Settings under <c>SyntheticFeed</c>:
/// <c>Seed</c> (42), <c>Speed</c> (1), <c>AlwaysOpen</c> (true); for the replay, <c>Dbn</c> (a DBN file path, or an
/// array of them), <c>Start</c> (ISO 8601 recording time to start at; default the beginning) and <c>Loop</c> (false).
/// </summary>
internal static class InProcessSource
{
    /// <summary>The configuration section of the in-process sources (named when they were served by a feed server).</summary>
    public const string SectionName = "SyntheticFeed";

    /// <summary>The key of the DBN files to replay.</summary>
    public const string DbnKey = SectionName + ":Dbn";

    /// <summary>The DBN files named by <c>SyntheticFeed:Dbn</c> (one path, or an array of them); empty when it is not set.</summary>
    public static string[] DbnFiles(IConfiguration configuration)
    {
        var dbn = configuration.GetSection(DbnKey);
        return string.IsNullOrWhiteSpace(dbn.Value)
            ? [.. dbn.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).OfType<string>()]
            : [dbn.Value];
    }

    /// <summary>The synthetic market of the <c>SyntheticFeed</c> settings.</summary>
    public static SyntheticMarket CreateMarket(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new SyntheticMarket(new SyntheticMarketOptions
        {
            Seed = section.GetValue("Seed", 42L),
            Speed = section.GetValue("Speed", 1.0),
            AlwaysOpen = section.GetValue("AlwaysOpen", true),
        });
    }

    /// <summary>Loads the replay of <paramref name="dbnFiles"/> now, so that a bad file fails the start-up.</summary>
    /// <exception cref="IOException">A file cannot be read (the message names it).</exception>
    /// <exception cref="Databento.DbnFormatException">A file is not DBN.</exception>
    public static DbnReplaySource LoadReplay(IConfiguration configuration, string[] dbnFiles)
    {
        var section = configuration.GetSection(SectionName);
        return DbnReplaySource.Load(dbnFiles, new DbnReplayOptions
        {
            Speed = section.GetValue("Speed", 1.0),
            StartTime = section.GetValue<DateTimeOffset?>("Start"),
            Loop = section.GetValue("Loop", false),
            MaxTicks = section.GetValue("MaxTicks", DbnReplayOptions.DefaultMaxTicks),
        });
    }

    /// <summary>
    /// Registers <paramref name="source"/> as the one <see cref="IMarketDataSource"/>. A factory registration, so the
    /// container disposes it (and its background loop) with the host, whether or not it was started.
    /// </summary>
    public static void Register(IServiceCollection services, InProcessMarketDataSource source) =>
        services.AddSingleton<IMarketDataSource>(_ => source);
}
