using OrderFlow.Candles;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing.Tests;

public partial class FeedServerTests
{
    [Fact]
    public async Task FeedServerStop_WithAClientThatStoppedReadingMidAnswer_AbortsItAndCompletes()
    {
        // Generous, for a loaded machine: the close timeout bounds the stop; what follows it must be quick, not instant.
        var slack = TimeSpan.FromSeconds(15);
        var closeTimeout = TimeSpan.FromMilliseconds(500);
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true }), CloseTimeout = closeTimeout });
        await using var stalled = await StalledFeedClient.ConnectAsync(server.Uri, Symbol.GC);

        // The send of the answer can never finish: the close must not wait for it beyond the close timeout.
        await server.StopAsync().WaitAsync(closeTimeout + slack);

        Assert.False(server.IsRunning);
        Assert.Equal(0, server.ConnectionCount);
        await server.DisposeAsync();
    }
}
