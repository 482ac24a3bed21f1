using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Feed.Testing;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The demo's in-process feed server ends promptly when the demo stops, whoever is connected: a part of the demo's
/// stop below the host.
/// </summary>
public sealed class DemoFeedTests
{
    // Generous, for a loaded machine: the close timeout bounds the stop; what follows it must be quick, not instant.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task FeedServerStop_WithAClientThatStoppedReadingMidAnswer_AbortsItAndCompletes()
    {
        var closeTimeout = TimeSpan.FromMilliseconds(500);
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = AlwaysOpenMarket(), CloseTimeout = closeTimeout });
        await using var stalled = await StalledFeedClient.ConnectAsync(server.Uri, Symbol.GC);

        // The send of the answer can never finish: the close must not wait for it beyond the close timeout.
        await server.StopAsync().WaitAsync(closeTimeout + Slack);

        Assert.False(server.IsRunning);
        Assert.Equal(0, server.ConnectionCount);
        await server.DisposeAsync();
    }

    private static SyntheticMarket AlwaysOpenMarket() => new(new SyntheticMarketOptions { AlwaysOpen = true });
}
