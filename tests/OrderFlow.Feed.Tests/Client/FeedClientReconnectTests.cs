using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;
using OrderFlow.Tests.Shared.Clocks;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// The client's reconnect backoff against a real feed server on a loopback socket that drops every connection as
/// soon as it is accepted. The client's clock is a <see cref="FakeTimeProvider"/>: its delays pass only when the test
/// advances it, so what is asserted is how long the client waits on its own clock, never how long anything took.
/// </summary>
public class FeedClientReconnectTests
{
    private static readonly DateTimeOffset Tuesday = new(2024, 1, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private static bool IsReconnecting(MarketDataEvent e) => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Reconnecting;

    private static Task<FeedHarness> StartAsync(TimerRecordingClock clientClock) => FeedHarness.StartAsync(
        new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] },
        o =>
        {
            o.ReconnectDelay = TimeSpan.FromSeconds(1);
            o.MaxReconnectDelay = TimeSpan.FromSeconds(4);
            o.StableConnectionTime = Stable;

            // Heartbeats and connect timeouts run on the fake clock too: keep them out of the way.
            o.PingInterval = TimeSpan.FromHours(1);
            o.IdleTimeout = TimeSpan.FromHours(2);
            o.ConnectTimeout = TimeSpan.FromHours(1);
        },
        start: false,
        clientTime: clientClock,
        serverTime: new FakeTimeProvider(Tuesday), // never advanced: a quiet market, history on request only
        jitter: new PinnedRandom(0.999));          // each delay is 99.9 % of its step, so the steps show

    /// <summary>Drops the newest connection, then lets the client's backoff run out on its clock and waits for the next one.</summary>
    /// <returns>The attempt number the client reported.</returns>
    private static async Task<int> DropAndExpectReconnectAfterAsync(FeedHarness h, TimerRecordingClock clock, TimeSpan expectedDelay, int reconnects)
    {
        var accepted = h.Server.ConnectionsAccepted;
        var timers = clock.Timers.Count;
        h.Server.Faults.DropConnections();
        var events = await h.WaitForAsync(es => es.Count(IsReconnecting) == reconnects, what: $"reconnect #{reconnects} to be scheduled");
        var attempt = events.Last(IsReconnecting).Attempt;

        // The client's delay timer exists once its Reconnecting event is out, and it is the only short one: the
        // others are the heartbeat (15 min), the connect timeout (1 h) and the 5 s grace for the last frames.
        Assert.Equal([expectedDelay], clock.Timers.Skip(timers).Where(t => t < TimeSpan.FromSeconds(5)));

        // Just short of it, nothing happens ...
        clock.Advance(expectedDelay - Ms);
        Assert.Equal(accepted, h.Server.ConnectionsAccepted);

        // ... and at it, the client connects again.
        clock.Advance(Ms);
        await h.WaitForAsync(_ => h.Server.ConnectionsAccepted == accepted + 1, what: $"connection {accepted + 1} after {expectedDelay}");
        return attempt;
    }

    [Fact]
    public async Task ServerDroppingEveryConnectionAtOnce_GetsGrowingDelays_UntilAConnectionStaysUpWithData()
    {
        var clock = new TimerRecordingClock(new FakeTimeProvider(Tuesday));
        await using var h = await StartAsync(clock);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 10);
        await h.Client.StartAsync();
        await h.WaitForAsync(_ => h.Server.ConnectionsAccepted == 1, what: "the first connection");

        // The policy the client follows, with the same pinned jitter: 1 s, 2 s, 4 s, 4 s, 4 s (× 0.999).
        var policy = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), Stable, random: new PinnedRandom(0.999));
        var delays = new List<TimeSpan>();
        var attempts = new List<int>();
        for (var i = 1; i <= 5; i++)
        {
            var delay = policy.NextDelay();
            delays.Add(delay);
            attempts.Add(await DropAndExpectReconnectAfterAsync(h, clock, delay, reconnects: i));
        }

        Assert.Equal([1, 2, 3, 4, 5], attempts);
        Assert.Equal([1, 2, 4, 4, 4], delays.Select(d => Math.Round(d.TotalSeconds)));

        // The sixth connection delivers data (its backfill) and stays up for the stable period: the next drop starts
        // the backoff over from its first step.
        await h.WaitForAsync(es => es.Last(e => e.Kind == MarketDataEventKind.Connection).State == SourceConnectionState.Backfilled, what: "the sixth connection's backfill");
        clock.Advance(Stable);
        var afterStable = await DropAndExpectReconnectAfterAsync(h, clock, policy.GetStep(1) * 0.999, reconnects: 6);
        Assert.Equal(1, afterStable);
        Assert.Equal(6, h.Counter("orderflow.feed.reconnects"));
    }

    [Fact]
    public async Task ConnectionUpForTheStablePeriodWithoutData_DoesNotStartTheBackoffOver()
    {
        var clock = new TimerRecordingClock(new FakeTimeProvider(Tuesday));
        await using var h = await StartAsync(clock);   // no subscription: the connections carry no data at all
        await h.Client.StartAsync();
        await h.WaitForAsync(_ => h.Server.ConnectionsAccepted == 1, what: "the first connection");

        var policy = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), Stable, random: new PinnedRandom(0.999));
        Assert.Equal(1, await DropAndExpectReconnectAfterAsync(h, clock, policy.NextDelay(), reconnects: 1));
        Assert.Equal(2, await DropAndExpectReconnectAfterAsync(h, clock, policy.NextDelay(), reconnects: 2));

        await h.WaitForAsync(es => es.Last(e => e.Kind == MarketDataEventKind.Connection).State == SourceConnectionState.Connected, what: "the third connection");
        clock.Advance(Stable * 2);
        Assert.Equal(3, await DropAndExpectReconnectAfterAsync(h, clock, policy.NextDelay(), reconnects: 3));
    }
}
