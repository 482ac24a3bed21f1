using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderFlow.Feed.Testing;

namespace OrderFlow.SyncWorker;

/// <summary>
/// A feed server in process, serving the synthetic market (<c>Source=synthetic</c>, or the dry run) or replaying DBN
/// files (<c>Source=replay</c>); the worker's feed client connects to it as to a real feed. Settings under
/// <c>SyntheticFeed</c>: <c>Seed</c> (42), <c>Speed</c> (1), <c>AlwaysOpen</c> (true), <c>Port</c> (0 = ephemeral);
/// for the replay, <c>Dbn</c> (a DBN file path, or an array of them), <c>Start</c> (ISO 8601 recording time to start
/// at; default the beginning) and <c>Loop</c> (false).
/// </summary>
internal sealed class SyntheticFeed : IHostedService, IAsyncDisposable
{
    /// <summary>The key of the DBN files to replay.</summary>
    public const string DbnKey = SectionName + ":Dbn";

    /// <summary>The configuration section of the in-process feed.</summary>
    public const string SectionName = "SyntheticFeed";

    private SyntheticFeed(FeedServer server, IFeedDataSource market)
    {
        Server = server;
        Market = market;
    }

    public FeedServer Server { get; }

    /// <summary>The synthetic market, or the DBN replay.</summary>
    public IFeedDataSource Market { get; }

    public string Description => Market.ToString() ?? string.Empty;

    /// <summary>The DBN files named by <c>SyntheticFeed:Dbn</c> (one path, or an array of them); empty when it is not set.</summary>
    public static string[] DbnFiles(IConfiguration configuration)
    {
        var dbn = configuration.GetSection(DbnKey);
        return string.IsNullOrWhiteSpace(dbn.Value)
            ? [.. dbn.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).OfType<string>()]
            : [dbn.Value];
    }

    /// <summary>Starts a feed server on the synthetic market.</summary>
    public static Task<SyntheticFeed> StartMarketAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(SectionName);
        var market = new SyntheticMarket(new SyntheticMarketOptions
        {
            Seed = section.GetValue("Seed", 42L),
            Speed = section.GetValue("Speed", 1.0),
            AlwaysOpen = section.GetValue("AlwaysOpen", true),
        });
        return StartAsync(section, market, cancellationToken);
    }

    /// <summary>Starts a feed server replaying <paramref name="dbnFiles"/>.</summary>
    /// <exception cref="IOException">A file cannot be read (the message names it).</exception>
    /// <exception cref="Databento.DbnFormatException">A file is not DBN.</exception>
    public static Task<SyntheticFeed> StartReplayAsync(IConfiguration configuration, string[] dbnFiles, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(SectionName);
        var replay = DbnReplaySource.Load(dbnFiles, new DbnReplayOptions
        {
            Speed = section.GetValue("Speed", 1.0),
            StartTime = section.GetValue<DateTimeOffset?>("Start"),
            Loop = section.GetValue("Loop", false),
        });
        return StartAsync(section, replay, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Server.Uri} ({Description})");

    private static async Task<SyntheticFeed> StartAsync(IConfigurationSection section, IFeedDataSource market, CancellationToken cancellationToken)
    {
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = market, Port = section.GetValue("Port", 0) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SyntheticFeed(server, market);
    }
}
