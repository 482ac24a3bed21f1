using System.Net.WebSockets;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>The server over real loopback sockets with a plain <see cref="ClientWebSocket"/>.</summary>
public partial class FeedServerTests
{
    [Fact]
    public async Task Ping_IsAnsweredWithPong()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock);
        await using var client = await TestClient.ConnectAsync(server.Uri);

        await client.PingAsync();

        Assert.Equal(FeedMessageType.Pong, (await client.ReceiveMessageAsync()).Type);
    }

    [Fact]
    public async Task Uri_IsLoopbackWithTheBoundPort()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        Assert.Equal("ws", server.Uri.Scheme);
        Assert.Equal("127.0.0.1", server.Uri.Host);
        Assert.NotEqual(0, server.Uri.Port);
        Assert.True(server.IsRunning);
    }

    [Fact]
    public async Task Live_TicksAndCandlesArriveAsTheClockAdvances()
    {
        var clock = TestMarket.Clock();
        await using var server = await TestServer.StartAsync(clock, market: o => o.LiveTimeframes = [Timeframe.OneMinute, Timeframe.OneHour]);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(1);

        clock.Advance(TimeSpan.FromSeconds(90));

        // Hourly updates come at the end of the batch, after every tick of it.
        var live = new List<FeedMessage>();
        var hourly = new HashSet<Symbol>();
        while (hourly.Count < Symbol.Defaults.Count)
        {
            var message = await client.ReceiveMessageAsync();
            live.Add(message);
            if (message.Type == FeedMessageType.Candle && message.Timeframe == Timeframe.OneHour)
            {
                hourly.Add(message.Symbol);
            }
        }

        foreach (var symbol in Symbol.Defaults)
        {
            var ticks = live.Where(m => m.Type == FeedMessageType.Tick && m.Symbol == symbol).Select(m => m.Tick).ToList();
            Assert.True(ticks.Count > 100, $"{symbol}: {ticks.Count} ticks");
            Assert.All(ticks, t => Assert.InRange(t.EventTimeMs, TestMarket.Start.ToUnixTimeMilliseconds(), TestMarket.Start.AddSeconds(90).ToUnixTimeMilliseconds()));
            Assert.Contains(live, m => m.Type == FeedMessageType.Candle && m.Symbol == symbol && m.Timeframe == Timeframe.OneMinute && m.Candle.OpenTimeUtc == TestMarket.Start);
            Assert.Contains(live, m => m.Type == FeedMessageType.Candle && m.Symbol == symbol && m.Timeframe == Timeframe.OneHour && m.Candle.OpenTimeUtc == TestMarket.Start);
        }
    }

    [Fact]
    public async Task Live_HighSpeedOnTheSystemClock_StreamsMinutes()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { Speed = 600, AlwaysOpen = true, Symbols = [Symbol.GC], TickInterval = TimeSpan.FromSeconds(1) });
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = market });
        await using var client = await TestClient.ConnectAsync(server.Uri);

        // 600x: a market minute every 100 ms; wait for three distinct live minutes.
        var minutes = new HashSet<long>();
        while (minutes.Count < 3)
        {
            var message = await client.ReceiveMessageAsync();
            if (message.Type == FeedMessageType.Candle)
            {
                minutes.Add(message.Candle.OpenTime);
            }
        }
    }

    [Fact]
    public async Task Publish_SendsTheEventToEveryClient()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var a = await TestClient.ConnectAsync(server.Uri);
        await using var b = await TestClient.ConnectAsync(server.Uri);
        await server.WaitForConnectionCountAsync(2);
        var tick = TestMarket.Tick(1704204000123, 2031.1, 3);

        Assert.Equal(2, server.Publish(MarketDataEvent.ForTick(Symbol.GC, tick)));

        foreach (var client in new[] { a, b })
        {
            var message = await client.ReceiveMessageAsync();
            Assert.Equal(FeedMessageType.Tick, message.Type);
            Assert.Equal(Symbol.GC, message.Symbol);
            Assert.Equal(tick.EventTimeMs, message.Tick.EventTimeMs);
            Assert.Equal(2031.1, message.Tick.Price);
            Assert.Equal(3, message.Tick.Size);
        }
    }

    [Fact]
    public async Task Requests_Malformed_GetAnErrorAndTheConnectionSurvives()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock(), o => o.MaxRequestBytes = 1024);
        await using var client = await TestClient.ConnectAsync(server.Uri);
        string[] requests =
        [
            "not json",
            """{"type":"get_history","symbol":"GC","timeframe":"1m","bars":10""",
            """{"symbol":"GC"}""",
            """{"type":"get_history","timeframe":"1m","bars":10}""",
            """{"type":"get_history","symbol":"GC","timeframe":"2m","bars":10}""",
            """{"type":"get_history","symbol":"GC","timeframe":"1m","bars":"ten"}""",
            """{"type":"get_history","symbol":"GC","timeframe":"1m","bars":-5}""",
            """{"type":"get_history","symbol":"ZZ","timeframe":"1m","bars":10}""",
            """{"type":"subscribe","symbol":"GC"}""",
            """{"type":"tick","symbol":"GC","price":2031.1,"size":1}""",
            """[1,2,3]""",
            "{\"type\":\"ping\",\"pad\":\"" + new string('x', 2000) + "\"}",
        ];

        foreach (var request in requests)
        {
            await client.SendTextAsync(request);
            var answer = await client.ReceiveMessageAsync();
            Assert.True(answer.Type == FeedMessageType.Error, $"{request} got {answer.Type}");
            Assert.False(string.IsNullOrWhiteSpace(answer.Text));
        }

        await client.Socket.SendAsync("""{"type":"ping"}"""u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Contains("binary", (await client.ReceiveMessageAsync()).Text, StringComparison.Ordinal);

        await client.PingAsync();
        Assert.Equal(FeedMessageType.Pong, (await client.ReceiveMessageAsync()).Type);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Requests_UnknownSymbol_ErrorNamesIt()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);

        await client.SendTextAsync("""{"type":"get_history","symbol":"ZZ","timeframe":"1m","bars":10}""");

        var error = await client.ReceiveMessageAsync();
        Assert.Equal(FeedMessageType.Error, error.Type);
        Assert.Contains("'ZZ'", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_Fragmented_AreReassembled()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await using var client = await TestClient.ConnectAsync(server.Uri);
        var request = """{"type":"get_history","symbol":"SI","timeframe":"15m","bars":3}"""u8.ToArray();

        for (var i = 0; i < request.Length; i += 5)
        {
            await client.Socket.SendAsync(request.AsMemory(i, Math.Min(5, request.Length - i)), WebSocketMessageType.Text, i + 5 >= request.Length, CancellationToken.None);
        }

        var answer = await client.ReceiveMessageAsync();
        Assert.Equal(FeedMessageType.HistoricalCandles, answer.Type);
        Assert.Equal(3, answer.Candles!.Length);
    }
}
