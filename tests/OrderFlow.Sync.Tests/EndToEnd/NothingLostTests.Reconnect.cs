using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.Tests.Shared.Clocks;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <content>A server that accepts and drops every connection gets growing reconnect delays, not a storm.</content>
public sealed partial class NothingLostTests
{
    [Fact]
    public async Task ServerThatAcceptsAndDropsAtOnce_IsRetriedWithGrowingDelays_NeverOnceASecondForever()
    {
        // The whole worker runs on a fake clock that only the test moves: the reconnect delays pass when the test
        // advances it by exactly what the client asked for, so what is measured is the worker's own waiting, on the
        // server's side (its accepted connections), never how fast this machine is.
        var clock = new TimerRecordingClock(new FakeTimeProvider(Tuesday));
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] }, new FakeTimeProvider(Tuesday));
        await using var worker = await WorkerHarness.StartAsync(
            redis.Configuration,
            new ScriptedSource(market, stream: false),
            new Dictionary<string, string?>
            {
                ["Sync:Symbols"] = "GC",
                ["Sync:ChartSyncInterval"] = "01:00:00",
                ["Feed:ReconnectDelay"] = "00:00:01",
                ["Feed:MaxReconnectDelay"] = "00:00:30",
                ["Feed:StableConnectionTime"] = "00:00:30",

                // Heartbeats and connect timeouts run on the fake clock too: out of the way.
                ["Feed:PingInterval"] = "01:00:00",
                ["Feed:IdleTimeout"] = "02:00:00",
                ["Feed:ConnectTimeout"] = "01:00:00",
            },
            b => b.Services.AddSingleton<TimeProvider>(clock),
            start: false);
        worker.Server.Faults.DropOnAccept(true);
        await worker.StartHostAsync();
        await Eventually.HoldsAsync(() => worker.Server.ConnectionsAccepted == 1, Generous, "the first connection");

        const int Attempts = 12;
        var intervals = new List<TimeSpan>();
        var timersBefore = 0;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var wait = await ReconnectTimerAsync(worker, clock, attempt, timersBefore);
            var accepted = worker.Server.ConnectionsAccepted;
            timersBefore = clock.Timers.Count;
            clock.Advance(wait);
            await Eventually.HoldsAsync(() => worker.Server.ConnectionsAccepted == accepted + 1, Generous, $"connection {accepted + 1}, {wait} after the last");
            intervals.Add(wait);
        }

        output.WriteLine("intervals between connections on the worker's clock (s): " + string.Join(", ", intervals.Select(i => i.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture))));

        // Each interval lies within its attempt's step, which doubles from 1 s up to 30 s: the counter never started
        // over, since no connection delivered anything.
        for (var i = 0; i < Attempts; i++)
        {
            var step = TimeSpan.FromSeconds(Math.Min(30, 1 << i));
            Assert.True(intervals[i] < step, $"attempt {i + 1} waited {intervals[i]}, beyond its step {step}");
        }

        // With full jitter one interval can be short; seven at the 30 s step all shorter than the first three's 7 s
        // together happens once in ~10^8 runs. So: once backed off, the worker waits far longer than a second on average.
        var early = intervals.Take(3).Sum(i => i.TotalSeconds);
        var late = intervals.Skip(5).Select(i => i.TotalSeconds).ToArray();
        Assert.True(late.Sum() > early && late.Average() > 1, $"the delays did not grow: first three {early:0.000} s in all, the last {late.Length} average {late.Average():0.000} s");
        // The next attempt is counted as soon as the last connection drops.
        Assert.InRange(worker.Metrics["orderflow.feed.reconnects"], Attempts, Attempts + 1);

        // With the worker's clock standing still it does not try again on its own, however long this machine waits.
        var connections = worker.Server.ConnectionsAccepted;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(connections, worker.Server.ConnectionsAccepted);
    }

    /// <summary>
    /// Waits for the client's reconnect attempt <paramref name="attempt"/> and the timer of its delay (among the timers
    /// created since <paramref name="since"/>), and returns the timer's due time: the logged delay in whole milliseconds,
    /// as <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> asks the clock for it.
    /// </summary>
    private static async Task<TimeSpan> ReconnectTimerAsync(WorkerHarness worker, TimerRecordingClock clock, int attempt, int since)
    {
        var pattern = new Regex($@"Reconnecting to the feed in (\S+) \(attempt {attempt}\)$");
        var delay = TimeSpan.Zero;
        await Eventually.HoldsAsync(
            () => worker.Logs.Lines.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } m
                && TimeSpan.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out delay),
            Generous,
            $"reconnect attempt {attempt} logged");
        Assert.Equal(attempt, worker.Logs.Lines.Count(l => l.Contains("Reconnecting to the feed in", StringComparison.Ordinal)));

        // The log line comes just before the client creates the timer: advancing before that would pass it by.
        TimeSpan? timer = null;
        await Eventually.HoldsAsync(
            () => (timer = clock.Timers.Skip(since).Cast<TimeSpan?>().FirstOrDefault(t => t <= delay && delay - t < TimeSpan.FromMilliseconds(1))) is not null,
            Generous,
            () => $"the timer of attempt {attempt} ({delay}); timers since: {string.Join(", ", clock.Timers.Skip(since))}");
        return timer!.Value;
    }
}
