using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderFlow.Feed.Testing;

namespace OrderFlow.SyncWorker;

/// <summary>
/// The in-process synthetic feed used when no <c>Feed:Url</c> is configured (a dry run or a demo). Settings under
/// <c>SyntheticFeed</c>: <c>Seed</c> (42), <c>Speed</c> (1), <c>AlwaysOpen</c> (true), <c>Port</c> (0 = ephemeral).
/// </summary>
internal sealed class SyntheticFeed : IHostedService, IAsyncDisposable
{
    private SyntheticFeed(FeedServer server, SyntheticMarket market)
    {
        Server = server;
        Market = market;
    }

    public FeedServer Server { get; }

    public SyntheticMarket Market { get; }

    public string Description => Market.ToString();

    public static async Task<SyntheticFeed> StartAsync(IConfigurationSection section, CancellationToken cancellationToken)
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions
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
