using System.Diagnostics;
using System.Net.WebSockets;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Testing.Tests;

public partial class FeedServerTests
{
    [Fact]
    public async Task Faults_DropConnections_ClientsSeeAnAbortNotAClose()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var a = await TestClient.ConnectAsync(server.Uri);
        await using var b = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(2);

        Assert.Equal(2, server.Faults.DropConnections());

        foreach (var client in new[] { a, b })
        {
            var ex = await Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveAsync());
            Assert.NotEqual(WebSocketState.Open, client.Socket.State);
            Assert.Null(client.Socket.CloseStatus);
        }

        await server.WaitForConnectionCountAsync(0);
        await using var again = await TestClient.ConnectAsync(server.Uri);
        await again.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await again.ReceiveMessageAsync()).Type);
    }

    [Fact]
    public async Task Faults_DropOnAccept_AcceptsThenResetsEveryNewConnection_UntilTurnedOff()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var open = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        server.Faults.DropOnAccept(true);
        Assert.True(server.Faults.DropsOnAccept);
        for (var i = 1; i <= 3; i++)
        {
            // The reset may overtake the handshake's answer (the connect fails) or follow it (the first receive
            // fails): either way the connection was accepted and the client gets no frame.
            try
            {
                await using var dropped = await TestClient.ConnectAsync(server.Uri);
                await Assert.ThrowsAsync<WebSocketException>(() => dropped.ReceiveAsync());
            }
            catch (WebSocketException)
            {
            }

            Assert.Equal(1 + i, server.ConnectionsAccepted);
        }

        // The connection that was open before is served as ever, and new ones are again once it is turned off.
        await open.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await open.ReceiveMessageAsync()).Type);
        server.Faults.DropOnAccept(false);
        Assert.False(server.Faults.DropsOnAccept);
        await using var again = await TestClient.ConnectAsync(server.Uri);
        await again.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await again.ReceiveMessageAsync()).Type);
    }

    [Fact]
    public async Task Faults_Stall_NothingIsSentUntilTheDurationPasses()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);
        server.Faults.Stall(TimeSpan.FromSeconds(30));
        Assert.True(server.Faults.IsStalled);

        // A ping, a live event and a history request all go unanswered, and what they produce is discarded.
        await client.PingAsync();
        server.Publish(MarketDataEvent.ForTick(Symbol.GC, TestMarket.Tick(1704204000500, 2031.2)));
        await client.RequestHistoryAsync(Symbol.GC, Timeframe.OneMinute, 5);
        var quiet = client.ReceiveAsync(TimeSpan.FromSeconds(30));
        Assert.False(await Task.WhenAny(quiet, Task.Delay(TimeSpan.FromMilliseconds(300))) == quiet, "a frame arrived during the stall");

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(server.Faults.IsStalled);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(server.Faults.IsStalled);
        server.Publish(MarketDataEvent.ForTick(Symbol.GC, TestMarket.Tick(1704204001000, 2031.3)));

        Assert.Equal(2031.3, (await quiet).Decode().Tick.Price);
        await client.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await client.ReceiveMessageAsync()).Type);
    }

    [Fact]
    public async Task Faults_StallUntilResumed_ThenPingsAreAnsweredAgain()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        server.Faults.Stall();
        await client.PingAsync();
        var quiet = client.ReceiveAsync();
        Assert.False(await Task.WhenAny(quiet, Task.Delay(TimeSpan.FromMilliseconds(200))) == quiet);
        var resumedAt = Stopwatch.StartNew();
        server.Faults.Resume();
        await client.PingAsync();

        Assert.Equal(FeedMessageType.Pong, (await quiet).Decode().Type);
        Assert.True(resumedAt.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Theory]
    [InlineData(MalformedFrameKind.InvalidJson, FeedRejection.MalformedJson)]
    [InlineData(MalformedFrameKind.TruncatedJson, FeedRejection.MalformedJson)]
    [InlineData(MalformedFrameKind.MissingField, FeedRejection.MissingField)]
    [InlineData(MalformedFrameKind.WrongFieldType, FeedRejection.WrongFieldType)]
    [InlineData(MalformedFrameKind.UnknownType, FeedRejection.UnknownType)]
    [InlineData(MalformedFrameKind.NotAnObject, FeedRejection.NotAnObject)]
    [InlineData(MalformedFrameKind.BinaryFrame, FeedRejection.None)]
    public async Task Faults_SendMalformed_ArrivesExactlyAsSent(MalformedFrameKind kind, FeedRejection expected)
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        Assert.Equal(1, server.Faults.SendMalformed(kind));

        var received = await client.ReceiveAsync();
        Assert.Equal(FeedFaults.GetMalformedPayload(kind).ToArray(), received.Payload);
        if (kind == MalformedFrameKind.BinaryFrame)
        {
            Assert.Equal(WebSocketMessageType.Binary, received.Type);
        }
        else
        {
            Assert.Equal(WebSocketMessageType.Text, received.Type);
            Assert.False(FeedMessageReader.TryRead(received.Payload, out _, out var error));
            Assert.Equal(expected, error.Reason);
        }

        await client.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await client.ReceiveMessageAsync()).Type);
    }

    [Fact]
    public async Task Faults_SendRaw_SendsTheBytes()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        server.Faults.SendRaw("""{"type":"error","message":"maintenance"}"""u8.ToArray());

        Assert.Equal("maintenance", (await client.ReceiveMessageAsync()).Text);
    }

    [Fact]
    public async Task Faults_FragmentNext_ReassemblesToTheSameMessage()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);
        var candle = Candle.Create(1704204000, 2031.1, 2032.5, 2030.9, 2032.0, 420);

        Assert.Equal(1, server.Faults.FragmentNext(count: 2, fragmentSize: 7));
        server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, candle));
        await client.RequestHistoryAsync(Symbol.GC, Timeframe.FifteenMinutes, 50);

        var first = await client.ReceiveAsync();
        Assert.True(first.Frames >= first.Payload.Length / 7, $"{first.Frames} frames for {first.Payload.Length} bytes");
        var message = first.Decode();
        Assert.Equal(FeedMessageType.Candle, message.Type);
        Assert.Equal(candle, message.Candle);

        var history = await client.ReceiveAsync();
        Assert.True(history.Frames > 100);
        Assert.Equal(50, history.Decode().Candles!.Length);

        await client.PingAsync();
        Assert.Equal(1, (await client.ReceiveAsync()).Frames);
    }

    [Fact]
    public async Task Faults_DuplicateNext_SendsEachMessageTwice()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        server.Faults.DuplicateNext(2);
        for (var i = 0; i < 3; i++)
        {
            server.Publish(MarketDataEvent.ForTick(Symbol.CL, TestMarket.Tick(1704204000000 + i, 75.01 + (i / 100.0))));
        }

        var times = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            times.Add((await client.ReceiveMessageAsync()).Tick.EventTimeMs);
        }

        Assert.Equal([1704204000000, 1704204000000, 1704204000001, 1704204000001, 1704204000002], times);
    }

    [Fact]
    public async Task Faults_ReorderNext_SwapsPairs()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        server.Faults.ReorderNext(2);
        for (var i = 0; i < 5; i++)
        {
            server.Publish(MarketDataEvent.ForTick(Symbol.ES, TestMarket.Tick(1704204000000 + i, 5000.25)));
        }

        var order = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            order.Add((await client.ReceiveMessageAsync()).Tick.EventTimeMs - 1704204000000);
        }

        Assert.Equal([1L, 0, 3, 2, 4], order);
    }

    [Fact]
    public async Task SlowClient_IsDisconnectedWithoutStallingAFastOne()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock(), o => o.SendQueueLimit = 32);
        await using var fast = await TestClient.ConnectAsync(server.Uri);
        await using var slow = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(2);

        // The slow client asks for big answers and never reads: its socket buffers fill, then its queue.
        for (var i = 0; i < 4; i++)
        {
            await slow.RequestHistoryAsync(Symbol.NQ, Timeframe.OneMinute, 100_000);
        }

        var published = 0;
        var received = 0;
        var watch = Stopwatch.StartNew();
        while (server.SlowClientsDisconnected == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the slow client was never disconnected");
            server.Publish(MarketDataEvent.ForTick(Symbol.GC, TestMarket.Tick(1704204000000 + published, 2031.1)));
            published++;

            // The fast client keeps up: it receives each tick as it is published.
            var message = await fast.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1704204000000 + received, message.Tick.EventTimeMs);
            received++;
        }

        Assert.Equal(1, server.SlowClientsDisconnected);
        await server.WaitForConnectionCountAsync(1);
        server.Publish(MarketDataEvent.ForTick(Symbol.GC, TestMarket.Tick(1704204999999, 2031.2)));
        Assert.Equal(1704204999999, (await fast.ReceiveMessageAsync()).Tick.EventTimeMs);
    }

    [Fact]
    public async Task Faults_DelayHistory_AnswersOnlyOnceTheClockPassedTheDelay_AsOfThatMoment()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock, market: m => m.Symbols = [Symbol.GC]);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);
        server.Faults.DelayHistory(TimeSpan.FromMinutes(3));

        await client.RequestHistoryAsync(Symbol.GC, Timeframe.OneMinute, 5);
        var answer = client.ReceiveTypeAsync(FeedMessageType.HistoricalCandles, TimeSpan.FromMinutes(2));

        // The delay runs on the server's clock, which moves only when the test moves it: step it until the answer comes.
        var advanced = TimeSpan.Zero;
        while (await Task.WhenAny(answer, Task.Delay(100)) != answer)
        {
            Assert.True(advanced < TimeSpan.FromHours(1), "no answer after an hour of the server's clock");
            clock.Advance(TimeSpan.FromSeconds(30));
            advanced += TimeSpan.FromSeconds(30);
        }

        // Answered "as of" three minutes or more after the request: without the delay its newest candle would be 13:59.
        var history = (await answer).Candles!;
        Assert.Equal(5, history.Length);
        Assert.True(advanced >= TimeSpan.FromMinutes(3), $"answered after {advanced} of the server's clock");
        Assert.True(history[^1].OpenTime >= TestMarket.Start.AddMinutes(2).ToUnixTimeSeconds(), $"newest candle {history[^1]}");

        // Turned off, the next answer comes at once, with the clock standing still.
        server.Faults.DelayHistory(null);
        Assert.Equal(5, (await client.GetHistoryAsync(Symbol.GC, Timeframe.OneMinute, 5)).Candles!.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => server.Faults.DelayHistory(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Faults_TrimHistoryBefore_AnswersStartNoEarlier_WithFewerBarsThanAsked()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        var earliest = TestMarket.Start.AddMinutes(-10);
        server.Faults.TrimHistoryBefore(earliest);

        // The market's history ends at 13:59, before its 14:00 origin: 13:50 to 13:59 are left.
        var trimmed = (await client.GetHistoryAsync(Symbol.GC, Timeframe.OneMinute, 30)).Candles!;
        Assert.Equal(10, trimmed.Length);
        Assert.Equal(earliest.ToUnixTimeSeconds(), trimmed[0].OpenTime);

        server.Faults.TrimHistoryBefore(null);
        Assert.Equal(30, (await client.GetHistoryAsync(Symbol.GC, Timeframe.OneMinute, 30)).Candles!.Length);
    }
}
