using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Tests.Shared.Clocks;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// The backfill after a reconnect proves its coverage: against a real feed server whose market, and the client, run
/// on one <see cref="FakeTimeProvider"/>, so market minutes pass only when the test advances the clock. What the
/// assertions check (which minutes the client delivered, which gaps it reported) does not depend on how fast the
/// machine is; only how many polls it takes does.
/// </summary>
public class FeedClientBackfillTests
{
    private static readonly DateTimeOffset Tuesday = new(2024, 1, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static bool IsBackfilled(MarketDataEvent e) => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Backfilled;

    private static bool IsBackfill(MarketDataEvent e) => e.Kind == MarketDataEventKind.History && e.IsBackfill && e.Symbol == Symbol.GC && e.Timeframe == Timeframe.OneMinute;

    private static bool IsLiveCandle(MarketDataEvent e) => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC && e.Timeframe == Timeframe.OneMinute;

    private static string Utc(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Setup(FeedHarness H, FakeTimeProvider Clock, FakeLogger Log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => H.DisposeAsync();

        /// <summary>The open time of the newest live GC 1m candle the client delivered.</summary>
        public long LastLive => H.Events.Where(IsLiveCandle).Max(e => e.Candle.OpenTime);

        /// <summary>Lets market minutes pass one at a time, each once the client has its live candles.</summary>
        public async Task StreamAsync(int minutes)
        {
            for (var i = 0; i < minutes; i++)
            {
                Clock.Advance(Minute);
                var closed = Tuesday.ToUnixTimeSeconds() + (long)(Clock.GetUtcNow() - Tuesday - Minute).TotalSeconds;
                await H.WaitForAsync(es => es.Any(e => IsLiveCandle(e) && e.Candle.OpenTime >= closed), what: $"the live candle of {Utc(closed)}");
            }
        }

        /// <summary>Drops the connection and lets <paramref name="outage"/> of market time pass before the client's reconnect (1 s) is due.</summary>
        public async Task DropAsync(TimeSpan outage)
        {
            var reconnects = H.Events.Count(e => e.State == SourceConnectionState.Reconnecting);
            Assert.True(H.Server.Faults.DropConnections() > 0);

            // The client's reconnect timer exists once its Reconnecting event is out; advancing earlier could pass it by.
            await H.WaitForAsync(es => es.Count(e => e.State == SourceConnectionState.Reconnecting) > reconnects, what: "the reconnect to be scheduled");
            Clock.Advance(outage);
        }

        /// <summary>
        /// Advances the clock by <paramref name="step"/> until the condition holds, giving the client and the server a
        /// moment of real time between steps: for a server that answers only after a delay on its clock.
        /// </summary>
        public async Task<IReadOnlyList<MarketDataEvent>> PumpUntilAsync(Func<IReadOnlyList<MarketDataEvent>, bool> condition, TimeSpan step, string what)
        {
            for (var i = 0; i < 200; i++)
            {
                if (await H.TryWaitForAsync(condition, TimeSpan.FromMilliseconds(200)))
                {
                    return H.Events;
                }

                Clock.Advance(step);
            }

            return await H.WaitForAsync(condition, what: what);
        }

        /// <summary>The minutes between the first and the last live candle that neither a live candle nor a delivered backfill holds.</summary>
        public List<long> MissingMinutes()
        {
            var events = H.Events;
            var live = events.Where(IsLiveCandle).Select(e => e.Candle.OpenTime).ToList();
            var known = live.Concat(events.Where(IsBackfill).SelectMany(e => e.History!).Select(c => c.OpenTime)).ToHashSet();
            var missing = new List<long>();
            for (var t = live.Min(); t <= live.Max(); t += 60)
            {
                if (!known.Contains(t))
                {
                    missing.Add(t);
                }
            }

            return missing;
        }

        public string Describe() => string.Join(" | ", H.Events.Where(e => e.Kind != MarketDataEventKind.Tick).Select(e => IsLiveCandle(e) ? $"c{Utc(e.Candle.OpenTime)}" : e.Kind == MarketDataEventKind.History ? $"{e} [{Utc(e.History!.Min(c => c.OpenTime))}..{Utc(e.History!.Max(c => c.OpenTime))}]" : e.ToString()));
    }

    /// <param name="depth">The subscription's history depth in bars.</param>
    /// <param name="clientSkew">How far the client's wall clock is off the server's.</param>
    private static async Task<Setup> StartAsync(int depth, TimeSpan clientSkew = default)
    {
        var clock = new FakeTimeProvider(Tuesday);
        var log = new FakeLogger();
        var h = await FeedHarness.StartAsync(
            new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC], TickInterval = TimeSpan.FromSeconds(2) },
            o =>
            {
                o.ReconnectDelay = TimeSpan.FromSeconds(1);
                o.MaxReconnectDelay = TimeSpan.FromSeconds(4);

                // Heartbeats and connect timeouts run on the fake clock too: keep them out of the way.
                o.PingInterval = TimeSpan.FromHours(1);
                o.IdleTimeout = TimeSpan.FromHours(4);
                o.ConnectTimeout = TimeSpan.FromHours(1);
            },
            start: false,
            clientTime: clientSkew == TimeSpan.Zero ? clock : new SkewedClock(clock, clientSkew),
            serverTime: clock,
            jitter: new PinnedRandom(0.999),
            logger: log);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, depth);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "the first history");
        var setup = new Setup(h, clock, log);
        await setup.StreamAsync(5);
        return setup;
    }

    [Fact]
    public async Task DropLongerThanTheFirstBackfillRequest_AsksAgain_AndNoMinuteIsMissing()
    {
        // The client's clock is 30 minutes behind the server's, so from its last candle to its "now" it sees no outage
        // at all and asks for 3 bars; the outage lasted 10 minutes.
        await using var s = await StartAsync(depth: 500, clientSkew: TimeSpan.FromMinutes(-30));
        var lastBeforeDrop = s.LastLive;
        await s.DropAsync(TimeSpan.FromMinutes(10));
        await s.H.WaitForAsync(es => es.Any(IsBackfilled), what: "the backfill");
        await s.StreamAsync(2);

        var events = s.H.Events;
        var backfill = Assert.Single(events, IsBackfill);          // the short first answer is not delivered
        Assert.True(backfill.History!.Min(c => c.OpenTime) <= lastBeforeDrop, s.Describe());
        Assert.True(s.MissingMinutes().Count == 0, $"missing {string.Join(", ", s.MissingMinutes().Select(Utc))}: {s.Describe()}");
        Assert.DoesNotContain(events, e => e.Kind == MarketDataEventKind.LiveGap);
        Assert.True(s.H.Counter("orderflow.feed.backfill.retries") >= 1);
        Assert.Equal(0, s.H.Counter("orderflow.feed.backfill.gaps"));
        Assert.Contains(s.Log.Collector.GetSnapshot(), r => r.Id.Id == 1014);
    }

    [Fact]
    public async Task SlowBackfill_ServerAnswersMinutesLater_AsksAgain_AndNoMinuteIsMissing()
    {
        // The server answers 5 market minutes after each request, "as of" then: more than the 2-bar margin (and the
        // in-progress bar) make up for, so the first answer starts after the last candle seen.
        await using var s = await StartAsync(depth: 500);
        var lastBeforeDrop = s.LastLive;
        s.H.Server.Faults.DelayHistory(TimeSpan.FromMinutes(5));
        await s.DropAsync(TimeSpan.FromMinutes(5));
        await s.PumpUntilAsync(es => es.Any(IsBackfilled), TimeSpan.FromSeconds(30), "the slow backfill");
        s.H.Server.Faults.DelayHistory(null);
        await s.StreamAsync(2);

        var events = s.H.Events;
        var backfill = Assert.Single(events, IsBackfill);
        Assert.True(backfill.History!.Min(c => c.OpenTime) <= lastBeforeDrop, s.Describe());
        Assert.True(s.MissingMinutes().Count == 0, $"missing {string.Join(", ", s.MissingMinutes().Select(Utc))}: {s.Describe()}");
        Assert.DoesNotContain(events, e => e.Kind == MarketDataEventKind.LiveGap);
        Assert.True(s.H.Counter("orderflow.feed.backfill.retries") >= 1, s.Describe());
    }

    [Fact]
    public async Task ServerLackingTheMissedMinutes_ReportsACountedLiveGap_ThenBackfilled()
    {
        await using var s = await StartAsync(depth: 500);
        var lastBeforeDrop = s.LastLive;
        var firstServed = lastBeforeDrop + (3 * 60);
        s.H.Server.Faults.TrimHistoryBefore(DateTimeOffset.FromUnixTimeSeconds(firstServed));
        await s.DropAsync(TimeSpan.FromMinutes(10));
        var events = await s.H.WaitForAsync(es => es.Any(IsBackfilled), what: "the backfill");

        var gap = Assert.Single(events, e => e.Kind == MarketDataEventKind.LiveGap);
        Assert.Equal(Symbol.GC, gap.Symbol);
        Assert.Equal(Timeframe.OneMinute, gap.Timeframe);
        Assert.Contains($"3 bar(s) from {Utc(lastBeforeDrop)} to {Utc(firstServed)}", gap.Message, StringComparison.Ordinal);
        var order = events.Select((e, i) => (e, i)).ToList();
        Assert.True(order.Single(x => IsBackfill(x.e)).i < order.Single(x => x.e.Kind == MarketDataEventKind.LiveGap).i);
        Assert.True(order.Single(x => x.e.Kind == MarketDataEventKind.LiveGap).i < order.Single(x => IsBackfilled(x.e)).i);

        // The answer is delivered all the same: it is all the source has.
        Assert.Equal(firstServed, Assert.Single(events, IsBackfill).History!.Min(c => c.OpenTime));
        Assert.Equal(1, s.H.Counter("orderflow.feed.backfill.gaps"));
        Assert.Equal(1, s.H.Counter("orderflow.feed.backfill.gaps|symbol=GC|timeframe=1m"));
        Assert.Equal(0, s.H.Counter("orderflow.feed.backfill.retries"));   // fewer bars than asked: nothing older exists
        Assert.Contains(s.Log.Collector.GetSnapshot(), r => r.Id.Id == 1015 && r.Level == LogLevel.Debug && r.Message.Contains("GC 1m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DropLongerThanTheSubscriptionDepth_ReportsTheMinutesBeyondItAsAGap()
    {
        // 8 bars of depth, 15 minutes of outage: the full-depth answer still starts after the last candle seen.
        await using var s = await StartAsync(depth: 8);
        var lastBeforeDrop = s.LastLive;
        await s.DropAsync(TimeSpan.FromMinutes(15));
        var events = await s.H.WaitForAsync(es => es.Any(IsBackfilled), what: "the backfill");

        var backfill = Assert.Single(events, IsBackfill);
        Assert.Equal(8, backfill.History!.Length);
        var gap = Assert.Single(events, e => e.Kind == MarketDataEventKind.LiveGap);
        Assert.Contains($"from {Utc(lastBeforeDrop)} to {Utc(backfill.History.Min(c => c.OpenTime))}", gap.Message, StringComparison.Ordinal);
        Assert.Equal(1, s.H.Counter("orderflow.feed.backfill.gaps"));
    }

    [Fact]
    public async Task SecondDropBeforeTheBackfillAnswers_StillBackfillsFromTheFirstHole()
    {
        // The first reconnect's backfill is slow; live candles arrive meanwhile, then the connection drops again. The
        // next backfill must still reach back to the last candle seen before the first drop, not the newest one.
        await using var s = await StartAsync(depth: 500);
        var lastBeforeDrop = s.LastLive;
        s.H.Server.Faults.DelayHistory(TimeSpan.FromHours(1));
        await s.DropAsync(TimeSpan.FromMinutes(5));
        await s.H.WaitForAsync(_ => s.H.Server.ConnectionsAccepted == 2, what: "the second connection");
        await s.StreamAsync(2);   // live candles on the second connection, while its backfill waits
        s.H.Server.Faults.DelayHistory(null);
        await s.DropAsync(TimeSpan.FromMinutes(5));
        await s.H.WaitForAsync(es => es.Any(IsBackfilled), what: "the backfill");
        await s.StreamAsync(2);

        var backfill = Assert.Single(s.H.Events, IsBackfill);
        Assert.True(backfill.History!.Min(c => c.OpenTime) <= lastBeforeDrop, s.Describe());
        Assert.True(s.MissingMinutes().Count == 0, $"missing {string.Join(", ", s.MissingMinutes().Select(Utc))}: {s.Describe()}");
        Assert.DoesNotContain(s.H.Events, e => e.Kind == MarketDataEventKind.LiveGap);
    }
}
