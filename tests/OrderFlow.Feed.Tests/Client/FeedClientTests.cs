using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>The client against a real feed server on a loopback socket.</summary>
public class FeedClientTests
{
    private static bool IsConnected(MarketDataEvent e) => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Connected;

    [Fact]
    public async Task History_RoundTripsForEverySymbolAndTimeframe()
    {
        await using var h = await FeedHarness.StartAsync(start: false);
        foreach (var symbol in Symbol.Defaults)
        {
            foreach (var tf in Timeframe.All)
            {
                await h.Client.SubscribeAsync(symbol, tf, 120);
            }
        }

        await h.Client.StartAsync();
        var events = await h.WaitForAsync(es => es.Count(e => e.Kind == MarketDataEventKind.History) >= 30, what: "30 history answers");
        var answers = events.Where(e => e.Kind == MarketDataEventKind.History).ToList();
        Assert.Equal(30, answers.Select(e => (e.Symbol, e.Timeframe)).Distinct().Count());
        foreach (var answer in answers)
        {
            Assert.Equal(120, answer.History!.Length);
            Assert.False(answer.IsBackfill);
            Assert.Equal(0, answer.RejectedCandles);
            Assert.All(answer.History.Zip(answer.History.Skip(1)), p => Assert.True(p.First.OpenTime < p.Second.OpenTime));
            Assert.All(answer.History, c => Assert.Equal(0, c.OpenTime % answer.Timeframe.Seconds));
        }
    }

    [Fact]
    public async Task SubscribeWhileConnected_RequestsHistoryAtOnce()
    {
        await using var h = await FeedHarness.StartAsync();
        await h.WaitForAsync(es => es.Any(IsConnected), what: "connected");
        await h.Client.SubscribeAsync(Symbol.CL, Timeframe.FourHours, 50);
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "history");
        Assert.Equal(50, events.Single(e => e.Kind == MarketDataEventKind.History).History!.Length);
    }

    [Fact]
    public async Task HundredThousandBarHistory_ArrivesWhole()
    {
        await using var h = await FeedHarness.StartAsync(start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 100_000);
        await h.Client.StartAsync();
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), TimeSpan.FromSeconds(60), "the 100,000-bar answer");
        var history = events.Single(e => e.Kind == MarketDataEventKind.History).History!;
        Assert.Equal(100_000, history.Length);
        Assert.True(h.Counter("orderflow.feed.bytes") > 5_000_000);
    }

    [Fact]
    public async Task LiveTicksAndCandles_Arrive()
    {
        // Live data of subscribed series only: the client drops the rest at the reader.
        await using var h = await FeedHarness.StartAsync(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 60 }, start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await h.Client.StartAsync();
        var events = await h.WaitForAsync(es => es.Count(e => e.Kind == MarketDataEventKind.Tick) > 20 && es.Count(e => e.Kind == MarketDataEventKind.Candle) > 5, what: "live ticks and candles");
        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).ToList();
        Assert.All(ticks, t => Assert.True(t.Tick.Price > 0 && t.Tick.EventTimeMs > 0));
        Assert.Contains(events, e => e.Kind == MarketDataEventKind.Candle && e.Timeframe == Timeframe.OneMinute);
        Assert.Equal(0, h.Counter("orderflow.feed.rejected"));
    }

    [Theory]
    [InlineData(MalformedFrameKind.InvalidJson, "MalformedJson")]
    [InlineData(MalformedFrameKind.TruncatedJson, "MalformedJson")]
    [InlineData(MalformedFrameKind.MissingField, "MissingField")]
    [InlineData(MalformedFrameKind.WrongFieldType, "WrongFieldType")]
    [InlineData(MalformedFrameKind.UnknownType, "UnknownType")]
    [InlineData(MalformedFrameKind.NotAnObject, "NotAnObject")]
    [InlineData(MalformedFrameKind.BinaryFrame, "BinaryFrame")]
    public async Task MalformedFrame_IsSkippedAndCounted_AndTheConnectionStaysUp(MalformedFrameKind kind, string reason)
    {
        await using var h = await FeedHarness.StartAsync();
        await h.WaitForAsync(es => es.Any(IsConnected), what: "connected");
        await h.Server.WaitForConnectionCountAsync(1);
        h.Server.Faults.SendMalformed(kind);
        await h.WaitForCounterAsync($"orderflow.feed.rejected|reason={reason}", 1);

        // The next message on the same connection is processed.
        await h.Client.SubscribeAsync(Symbol.ES, Timeframe.OneHour, 10);
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "history after the bad frame");
        Assert.Single(h.Events, IsConnected);
    }

    [Fact]
    public async Task MessageLargerThanTheLimit_IsSkippedAndCounted()
    {
        await using var h = await FeedHarness.StartAsync(configure: o => o.MaxMessageBytes = 2048, start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 500);
        await h.Client.StartAsync();
        await h.WaitForCounterAsync("orderflow.feed.rejected|reason=FrameTooLarge", 1);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneDay, 3);
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "a small history answer");
        Assert.Equal(3, events.Single(e => e.Kind == MarketDataEventKind.History).History!.Length);
        Assert.Equal(0, h.Counter("orderflow.feed.rejected|reason=MalformedJson"));
    }

    [Fact]
    public async Task SubscriptionsRacingTheConnect_AreEachRequestedExactlyOnce()
    {
        // Subscriptions made while the client connects are either in the connection's first batch of requests or
        // sent by SubscribeAsync itself, never both: every series gets exactly one history answer.
        await using var h = await FeedHarness.StartAsync(start: false);
        Symbol[] symbols = [Symbol.GC, Symbol.SI, Symbol.CL, Symbol.ES, Symbol.NQ];
        var series = symbols.SelectMany(s => Timeframe.All.Select(tf => (s, tf))).ToArray();
        await h.Client.StartAsync();
        await Task.WhenAll(series.Select(x => Task.Run(async () => await h.Client.SubscribeAsync(x.s, x.tf, 5))));
        await h.WaitForAsync(es => es.Count(e => e.Kind == MarketDataEventKind.History) >= series.Length, what: "one answer per series");
        await Task.Delay(300);
        var answers = h.Events.Where(e => e.Kind == MarketDataEventKind.History).Select(e => (e.Symbol, e.Timeframe)).ToArray();
        Assert.Equal(series.Length, answers.Length);
        Assert.Equal(series.Length, answers.Distinct().Count());
    }

    [Fact]
    public async Task FragmentedMessages_AreReassembled()
    {
        await using var h = await FeedHarness.StartAsync(start: false);
        await h.Client.StartAsync();
        await h.Server.WaitForConnectionCountAsync(1);
        h.Server.Faults.FragmentNext(1, fragmentSize: 7);
        await h.Client.SubscribeAsync(Symbol.NQ, Timeframe.FifteenMinutes, 40);
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "the fragmented answer");
        Assert.Equal(40, events.Single(e => e.Kind == MarketDataEventKind.History).History!.Length);
        Assert.Equal(0, h.Counter("orderflow.feed.rejected"));
    }

    [Fact]
    public async Task Drop_Reconnects_AndBackfillsTheMinutesStreamedDuringTheOutage()
    {
        // 20 market minutes per second, and the client on market time (as a real client is on real time): the
        // reconnect delay of up to 8 market minutes (0.4 s) misses several live minutes, which the backfill must
        // return. The server answers "as of" the moment it reads the request, and at this speed a loaded machine's
        // few hundred milliseconds are several minutes: more than the margin, so the client has to see that the
        // answer falls short and ask again. The depth (5,000 minutes, over 4 minutes of wall time) is far beyond any
        // outage here, even on a machine loaded far past its cores; a longer one would be reported as a live gap, not
        // silently lost.
        await using var h = await FeedHarness.StartAsync(
            new SyntheticMarketOptions { AlwaysOpen = true, Speed = 1200 },
            o =>
            {
                o.ReconnectDelay = TimeSpan.FromMinutes(8);
                o.MaxReconnectDelay = TimeSpan.FromMinutes(16);
                o.ConnectTimeout = TimeSpan.FromHours(2);
                o.PingInterval = TimeSpan.FromHours(1);
                o.IdleTimeout = TimeSpan.FromHours(24);
            },
            start: false,
            clientOnMarketTime: true);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 5000);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Count(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC) > 20, what: "live GC candles");

        Assert.Equal(1, h.Server.Faults.DropConnections());
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Backfilled), what: "backfill");
        await h.WaitForAsync(es => es.Count(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC) > events.Count(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC) + 5, what: "live again");
        events = h.Events;

        var connection = events.Where(e => e.Kind == MarketDataEventKind.Connection).ToList();
        // A machine loaded far past its cores may starve the client long enough for its idle timeout (72 s of wall
        // time) to end the new connection too; that reconnect backfills like the first, so it is allowed, and the
        // minutes are checked below all the same.
        Assert.True(
            connection.Select(e => e.State).Take(4).SequenceEqual([SourceConnectionState.Connected, SourceConnectionState.Disconnected, SourceConnectionState.Reconnecting, SourceConnectionState.Connected])
                && connection.Skip(4).Any(e => e.State == SourceConnectionState.Backfilled),
            $"connection events: {string.Join(" | ", connection)}");
        Assert.Contains(events, e => e.Kind == MarketDataEventKind.History && e.IsBackfill);
        Assert.DoesNotContain(events, e => e.Kind == MarketDataEventKind.LiveGap);

        // Every minute from the first live candle to the last one is known: live, or backfilled from history.
        var minutes = events
            .Where(e => e.Symbol == Symbol.GC && ((e.Kind == MarketDataEventKind.Candle && e.Timeframe == Timeframe.OneMinute) || (e.Kind == MarketDataEventKind.History && e.IsBackfill)))
            .SelectMany(e => e.Kind == MarketDataEventKind.Candle ? [e.Candle.OpenTime] : e.History!.Select(c => c.OpenTime))
            .ToHashSet();
        var live = events.Where(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC).Select(e => e.Candle.OpenTime).ToList();
        var missing = new List<long>();
        for (var t = live.Min(); t <= live.Max(); t += 60)
        {
            if (!minutes.Contains(t))
            {
                missing.Add(t);
            }
        }

        var backfill = events.Where(e => e.Kind == MarketDataEventKind.History && e.IsBackfill).SelectMany(e => e.History!).Select(c => c.OpenTime).ToList();
        Assert.True(missing.Count == 0, $"missing {string.Join(",", missing)}; live {live.Min()}..{live.Max()}; backfill {backfill.Min()}..{backfill.Max()} ({backfill.Count}); events: {string.Join(" | ", events.Where(e => e.Kind != MarketDataEventKind.Tick && (e.Symbol == Symbol.GC || e.Kind == MarketDataEventKind.Connection)).Select(e => e.Kind == MarketDataEventKind.Candle ? $"c{e.Candle.OpenTime}" : e.ToString()))}");
        Assert.True(h.Counter("orderflow.feed.reconnects") >= 1);
    }

    [Fact]
    public async Task Stall_IsDetectedByTheIdleTimeout_AndTheClientReconnects()
    {
        await using var h = await FeedHarness.StartAsync(configure: o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.IdleTimeout = TimeSpan.FromMilliseconds(800);
        });
        await h.WaitForAsync(es => es.Any(IsConnected), what: "connected");
        h.Server.Faults.Stall(TimeSpan.FromSeconds(3));
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Disconnected), what: "the stall to be detected");
        var disconnected = events.First(e => e.State == SourceConnectionState.Disconnected);
        Assert.Contains("no traffic", disconnected.Message, StringComparison.Ordinal);
        await h.WaitForAsync(es => es.Count(IsConnected) >= 2, TimeSpan.FromSeconds(60), "a new connection after the stall");
    }

    [Fact]
    public async Task HealthyIdleConnection_IsKeptAliveByPings()
    {
        await using var h = await FeedHarness.StartAsync(
            new SyntheticMarketOptions { AlwaysOpen = false, Origin = new DateTimeOffset(2024, 1, 6, 12, 0, 0, TimeSpan.Zero) }, // a Saturday: no live data
            o =>
            {
                o.PingInterval = TimeSpan.FromMilliseconds(300);
                o.IdleTimeout = TimeSpan.FromSeconds(3);
            });
        await h.WaitForAsync(es => es.Any(IsConnected), what: "connected");
        await Task.Delay(TimeSpan.FromSeconds(4));
        var lost = h.Events.Where(e => e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Disconnected).ToList();
        Assert.True(lost.Count == 0, string.Join("; ", lost) + $" pongs={h.Counter("orderflow.feed.messages|type=pong")} bytes={h.Counter("orderflow.feed.bytes")} events={string.Join(" | ", h.Events.Take(10))}");
        Assert.True(h.Counter("orderflow.feed.messages|type=pong") >= 5);
    }

    [Fact]
    public async Task ServerError_IsDelivered()
    {
        await using var h = await FeedHarness.StartAsync();
        await h.Server.WaitForConnectionCountAsync(1);
        h.Server.Faults.SendRaw("""{"type":"error","message":"rate limited"}"""u8.ToArray());
        var events = await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.ServerError), what: "the server error");
        Assert.Equal("rate limited", events.Single(e => e.Kind == MarketDataEventKind.ServerError).Message);
    }

    [Fact]
    public async Task UnreachableServer_IsRetriedWithBackoff_AndReported()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var url = new Uri($"ws://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/");
        port.Stop(); // nothing listens there now
        await using var client = new Feed.Client.FeedClient(new Feed.Client.FeedClientOptions { Url = url, ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(40) });
        await client.StartAsync();
        var seen = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in client.ReadEventsAsync(cts.Token))
        {
            seen.Add(e);
            if (e.State == SourceConnectionState.Reconnecting && e.Attempt >= 3)
            {
                break;
            }
        }

        Assert.Contains(seen, e => e.State == SourceConnectionState.Disconnected && e.Message!.StartsWith("connect failed", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3], seen.Where(e => e.State == SourceConnectionState.Reconnecting).Select(e => e.Attempt));
    }

    [Fact]
    public async Task Dispose_ClosesTheSocketCleanly_EndsTheEventStream_AndLeavesNoTaskRunning()
    {
        var h = await FeedHarness.StartAsync(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 60 }, start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.Tick), what: "live data");
        await h.Client.DisposeAsync();
        await h.Reader.WaitAsync(TimeSpan.FromSeconds(5)); // ReadEventsAsync completed by itself
        await h.Server.WaitForConnectionCountAsync(0).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SourceConnectionState.Disconnected, h.Client.State);
        await h.Client.DisposeAsync(); // idempotent
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1));
        await h.DisposeAsync();
    }

    [Fact]
    public async Task CancellingTheReader_StopsTheEnumerationOnly()
    {
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 60 }) });
        await using var client = new Feed.Client.FeedClient(new Feed.Client.FeedClientOptions { Url = server.Uri });
        await client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await client.StartAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in client.ReadEventsAsync(cts.Token))
                {
                }
            });
        }

        // The connection carried on: a new enumeration receives live data.
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ticks = 0;
        await foreach (var e in client.ReadEventsAsync(again.Token))
        {
            if (e.Kind == MarketDataEventKind.Tick && ++ticks == 5)
            {
                break;
            }
        }

        Assert.Equal(5, ticks);
    }

    [Fact]
    public async Task StartTwice_Throws()
    {
        await using var h = await FeedHarness.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Client.StartAsync());
    }

    [Fact]
    public async Task ReadEvents_Cancelled_StopsAtOnce_WithEventsStillQueued()
    {
        var timeout = TimeSpan.FromSeconds(15);
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true }) });
        await using var client = new Feed.Client.FeedClient(new Feed.Client.FeedClientOptions { Url = server.Uri });
        await client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await client.StartAsync();
        await server.WaitForConnectionCountAsync(1).WaitAsync(timeout);

        // A consumer that fell behind: thousands of events queued (as ticks pile up while the sync engine merges history).
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 2_000; i++)
        {
            server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(now + i, 2000 + ((i % 10) * 0.1), 1)));
        }

        var deadline = DateTime.UtcNow + timeout;
        while (client.PendingEvents < 2_000)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {client.PendingEvents} of the 2,000 published ticks queued in the client");
            await Task.Delay(20);
        }

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
}
