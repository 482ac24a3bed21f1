using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderFlow.Feed.Testing;

namespace OrderFlow.SyncWorker;

/// <summary>
/// The in-process synthetic feed used when no <c>Feed:Url</c> is configured (a dry run or a demo). Settings under
/// <c>SyntheticFeed</c>: <c>Seed</c> (42), <c>Speed</c> (1), <c>AlwaysOpen</c> (true), <c>Port</c> (0 = ephemeral);
/// <c>Dbn</c> (a DBN file path, or an array of them) replays Databento files instead of the synthetic market, with
/// <c>Start</c> (ISO 8601 recording time to start at; default the beginning) and <c>Loop</c> (false).
/// </summary>
internal sealed class SyntheticFeed : IHostedService, IAsyncDisposable
{
    private SyntheticFeed(FeedServer server, IFeedDataSource market)
    {
        Server = server;
        Market = market;
    }

    public FeedServer Server { get; }

    /// <summary>The synthetic market, or the DBN replay when <c>SyntheticFeed:Dbn</c> is set.</summary>
    public IFeedDataSource Market { get; }

    public string Description => Market.ToString() ?? string.Empty;

    public static async Task<SyntheticFeed> StartAsync(IConfigurationSection section, CancellationToken cancellationToken)
    {
        var dbn = section.GetSection("Dbn");
        string[] dbnFiles = string.IsNullOrWhiteSpace(dbn.Value) ? [.. dbn.GetChildren().Select(c => c.Value).OfType<string>()] : [dbn.Value];
        IFeedDataSource market = dbnFiles.Length > 0
            ? DbnReplaySource.Load(dbnFiles, new DbnReplayOptions
            {
                Speed = section.GetValue("Speed", 1.0),
                StartTime = section.GetValue<DateTimeOffset?>("Start"),
                Loop = section.GetValue("Loop", false),
            })
            : new SyntheticMarket(new SyntheticMarketOptions
            {
                Seed = section.GetValue("Seed", 42L),
                Speed = section.GetValue("Speed", 1.0),
                AlwaysOpen = section.GetValue("AlwaysOpen", true),
            });
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = market, Port = section.GetValue("Port", 0) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SyntheticFeed(server, market);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Server.Uri} ({Description})");
}
