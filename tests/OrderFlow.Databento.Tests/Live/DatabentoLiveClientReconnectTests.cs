using Microsoft.Extensions.Time.Testing;
using OrderFlow.MarketData;
using OrderFlow.Tests.Shared.Clocks;

namespace OrderFlow.Databento.Tests.Live;

/// <summary>
/// The Live client's reconnect backoff against a fake gateway on a loopback socket that ends every session as soon as
/// it has started. The client's clock is a <see cref="FakeTimeProvider"/> that records the timers the client creates:
/// what is asserted is how long the client waits on its own clock, never how long anything took.
/// </summary>
public sealed class DatabentoLiveClientReconnectTests
{
    private const ulong T0 = 1_700_000_040_000_000_000;
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    /// <summary>Every timer under 5 s the client created is a reconnect delay: the others are 7.5 min (watchdog) and 1 h (connect).</summary>
    private static List<TimeSpan> ReconnectDelays(TimerRecordingClock clock) => [.. clock.Timers.Where(t => t < TimeSpan.FromSeconds(5))];

    private static (DatabentoLiveClient Client, RecordingHandler Handler) Create(FakeLiveGateway gateway, TimerRecordingClock clock)
    {
        var options = DatabentoLiveClientTests.Options(gateway.Port);
        options.ReconnectMinDelay = TimeSpan.FromSeconds(1);
        options.ReconnectMaxDelay = TimeSpan.FromSeconds(4);
        options.StableConnectionTime = Stable;
        options.ConnectTimeout = TimeSpan.FromHours(1);                  // timeouts run on the fake clock too:
        options.DeadConnectionTimeoutOverride = TimeSpan.FromHours(1);   // keep them out of the way
        var client = new DatabentoLiveClient(options, null, clock, new PinnedRandom(0.999));   // each delay is 99.9 % of its step
        return (client, new RecordingHandler { Client = client });
    }

    /// <summary>Waits for the client to schedule reconnect number <paramref name="reconnects"/>, checks its delay, lets it pass on the client's clock and waits for the new session.</summary>
    /// <returns>The attempt number the client reported.</returns>
    private static async Task<int> ExpectReconnectAfterAsync(FakeLiveGateway gateway, RecordingHandler handler, TimerRecordingClock clock, List<TimeSpan> expected, int reconnects)
    {
        await Poll.UntilAsync(() => handler.States.Count(s => s.State == DatabentoLiveState.Reconnecting) == reconnects, $"reconnect #{reconnects} to be scheduled");
        var attempt = handler.States.Last(s => s.State == DatabentoLiveState.Reconnecting).Attempt;

        // The delay's timer exists once the Reconnecting state is out.
        Assert.Equal(expected, ReconnectDelays(clock));

        // Just short of it, nothing happens; at it, the client connects again.
        var sessions = gateway.Connections.Count;
        clock.Advance(expected[^1] - Ms);
        Assert.Equal(sessions, gateway.Connections.Count);
        clock.Advance(Ms);
        await Poll.UntilAsync(() => gateway.Connections.Count == sessions + 1, $"session {sessions + 1} after {expected[^1]}");
        return attempt;
    }

    [Fact]
    public async Task RunAsync_GatewayDroppingEverySessionAtOnce_GetsGrowingDelays_UntilASessionStaysUpWithData()
    {
        const int StableSession = 5;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = new FakeLiveGateway(DatabentoLiveClientTests.Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            if (s.Index == StableSession)
            {
                s.Bar(1, T0, 2_000_000_000_000);
                await s.FlushAsync();
                await release.Task;   // ends once the client's clock is past the stable period
                return;
            }

            await s.FlushAsync();     // then the session ends at once: a reset right after the start
        });
        var clock = new TimerRecordingClock(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddTicks((long)(T0 / 100))));
        var (client, handler) = Create(gateway, clock);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => client.RunAsync(handler, cts.Token));

        // The policy the client follows, with the same pinned jitter: 1 s, 2 s, 4 s, 4 s, 4 s (× 0.999).
        var policy = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), Stable, random: new PinnedRandom(0.999));
        var expected = new List<TimeSpan>();
        var attempts = new List<int>();
        for (var i = 1; i <= StableSession; i++)
        {
            expected.Add(policy.NextDelay());
            attempts.Add(await ExpectReconnectAfterAsync(gateway, handler, clock, expected, reconnects: i));
        }

        Assert.Equal([1, 2, 3, 4, 5], attempts);
        Assert.Equal([1, 2, 4, 4, 4], expected.Select(d => Math.Round(d.TotalSeconds)));

        // The sixth session delivers a bar and stays up for the stable period: the backoff starts over.
        await Poll.UntilAsync(() => handler.Bars.Count == 1, "the sixth session's bar");
        clock.Advance(Stable);
        release.SetResult();
        expected.Add(policy.GetStep(1) * 0.999);
        Assert.Equal(1, await ExpectReconnectAfterAsync(gateway, handler, clock, expected, reconnects: 6));

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(DatabentoLiveState.Stopped, client.State);
        Assert.Empty(gateway.Faults);
    }

    [Fact]
    public async Task RunAsync_SessionUpForTheStablePeriodWithoutData_DoesNotStartTheBackoffOver()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = new FakeLiveGateway(DatabentoLiveClientTests.Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");   // a symbol mapping and heartbeats are not data
            s.Heartbeat();
            await s.FlushAsync();
            if (s.Index == 2)
            {
                await release.Task;
            }
        });
        var clock = new TimerRecordingClock(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddTicks((long)(T0 / 100))));
        var (client, handler) = Create(gateway, clock);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => client.RunAsync(handler, cts.Token));

        var policy = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), Stable, random: new PinnedRandom(0.999));
        var expected = new List<TimeSpan> { policy.NextDelay() };
        Assert.Equal(1, await ExpectReconnectAfterAsync(gateway, handler, clock, expected, reconnects: 1));
        expected.Add(policy.NextDelay());
        Assert.Equal(2, await ExpectReconnectAfterAsync(gateway, handler, clock, expected, reconnects: 2));

        await Poll.UntilAsync(() => handler.States.Count(s => s.State is DatabentoLiveState.Streaming or DatabentoLiveState.Replaying) == 3, "the third session to start");
        clock.Advance(Stable * 2);
        release.SetResult();
        expected.Add(policy.NextDelay());
        Assert.Equal(3, await ExpectReconnectAfterAsync(gateway, handler, clock, expected, reconnects: 3));

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
