using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The demo's in-process feed — the feed server and the feed client over loopback — ends promptly when the demo
/// stops, whoever is connected and however far behind the reader is: the parts of the demo's stop below the host.
/// </summary>
public sealed class DemoFeedTests
{
    // Generous, for a loaded machine: the close timeout bounds the stop; what follows it must be quick, not instant.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

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

    [Fact]
    public async Task FeedClientReadEvents_Cancelled_StopsAtOnce_WithEventsStillQueued()
    {
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = AlwaysOpenMarket() });
        await using var client = new FeedClient(new FeedClientOptions { Url = server.Uri });
        await client.StartAsync();
        await server.WaitForConnectionCountAsync(1).WaitAsync(Timeout);

        // A consumer that fell behind: thousands of events queued (as ticks pile up while the sync engine merges history).
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 2_000; i++)
        {
            server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(now + i, 2000 + ((i % 10) * 0.1), 1)));
        }

        await Poll.UntilAsync(() => client.PendingEvents >= 2_000, "the published ticks queued in the client", Timeout);

        // The consumer is told to stop while it handles an event: the next step of the enumeration ends it.
        using var stop = new CancellationTokenSource();
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.ReadEventsAsync(stop.Token))
            {
                read++;
                await stop.CancelAsync();
            }
        });

        Assert.Equal(1, read);
        Assert.True(client.PendingEvents >= 1_999, $"{client.PendingEvents} events left queued");
    }

    private static SyntheticMarket AlwaysOpenMarket() => new(new SyntheticMarketOptions { AlwaysOpen = true });
}
