using System.Net;
using System.Net.WebSockets;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

public sealed class LiveSocketTests : IAsyncLifetime
{
    private readonly InMemoryChartStore _memory = new();
    private CountingChartStore _store = null!;
    private ChartServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _store = new CountingChartStore(_memory);
        _server = await ChartServerHost.StartAsync(_store, "--ChartServer:ClientQueueCapacity=64", "--ChartServer:SendTimeout=00:00:02");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _memory.Dispose();
    }

    [Fact]
    public async Task Connect_ThenPublish_ReceivesTheUpdate()
    {
        await using var client = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"));
        var candle = TestCandles.At(TestCandles.Start, 2000, 2001.5, 42);

        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candle, new[] { candle });
        var received = await client.NextCandleAsync();

        Assert.Equal(candle.OpenTime, received.GetProperty("time").GetInt64());
        Assert.Equal(2001.5, received.GetProperty("close").GetDouble());
        Assert.Equal(42, received.GetProperty("volume").GetDouble());
        Assert.False(received.TryGetProperty("buyVolume", out _), "a candle without flow has no flow fields");
    }

    [Fact]
    public async Task Publish_FlowCandle_CarriesBuySellAndDelta_ACandleWithoutFlowDoesNot()
    {
        await using var client = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"));
        var flow = TestCandles.At(TestCandles.Start, 2000, 2001.5, 42, 30, 10);
        var plain = TestCandles.At(TestCandles.Start + 60, 2001.5, 2001, 17);

        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, flow, new[] { flow });
        var first = await client.NextCandleAsync();
        ChartApiTests.AssertWireCandle(flow, first);
        Assert.Equal(20, first.GetProperty("delta").GetDouble());

        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, plain, new[] { flow, plain });
        var second = await client.NextCandleAsync();
        ChartApiTests.AssertWireCandle(plain, second);
        Assert.False(second.TryGetProperty("delta", out _));
    }

    [Fact]
    public async Task Publish_OtherSeries_IsNotRelayed()
    {
        await using var client = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=5m"));
        var other = TestCandles.At(TestCandles.Start, 25, 25.5);
        var mine = TestCandles.At(TestCandles.Start, 2000, 2002);

        await _store.SaveLiveAsync(Symbol.SI, Timeframe.FiveMinutes, other, new[] { other });
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, other, new[] { other });
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.FiveMinutes, mine, new[] { mine });

        var received = await client.NextCandleAsync();
        Assert.Equal(2002, received.GetProperty("close").GetDouble());
    }

    [Fact]
    public async Task ManyClients_ShareOneStoreSubscriptionPerSeries_ReleasedWhenTheLastLeaves()
    {
        var gold = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=CL&tf=15m"))));
        var silver = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=ES&tf=15m"))));
        try
        {
            Assert.Equal(2, _store.SubscribeCalls);
            Assert.Equal(2, _store.ActiveSubscriptions);

            var candle = TestCandles.At(TestCandles.Start, 75, 75.25);
            await _store.SaveLiveAsync(Symbol.CL, Timeframe.FifteenMinutes, candle, new[] { candle });
            foreach (var client in gold)
            {
                Assert.Equal(75.25, (await client.NextCandleAsync()).GetProperty("close").GetDouble());
            }

            foreach (var client in gold)
            {
                await client.CloseAsync();
            }

            await Poll.UntilAsync(() => _store.ActiveSubscriptions == 1, "the CL subscription released after its last client left");
            Assert.Equal(2, _store.SubscribeCalls);

            await using var again = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=CL&tf=15m"));
            Assert.Equal(3, _store.SubscribeCalls);
            Assert.Equal(2, _store.ActiveSubscriptions);
        }
        finally
        {
            foreach (var client in gold.Concat(silver))
            {
                await client.DisposeAsync();
            }
        }

        await Poll.UntilAsync(() => _store.ActiveSubscriptions == 0, "every subscription released");
    }

    [Fact]
    public async Task ClientThatNeverReads_IsDropped_WhileOthersKeepReceivingPromptly()
    {
        const string Dropped = "orderflow.chartserver.ws.dropped", Clients = "orderflow.chartserver.ws.clients";
        var droppedBefore = _server.Metrics[Dropped];
        await using var good = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=NQ&tf=1m"));
        await using var slow = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=NQ&tf=1m"), read: false);
        await Poll.UntilAsync(() => _server.Metrics[Clients] >= 2, "both clients connected");

        var published = 0;
        var started = DateTime.UtcNow;
        var buffer = new[] { TestCandles.At(TestCandles.Start, 17_500, 17_500) };
        while (_server.Metrics[Dropped] == droppedBefore)
        {
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(40), $"the slow client was not dropped after {published} updates");

            // Batches small enough for the reading client's queue; it catches up between batches.
            for (var i = 0; i < 32; i++)
            {
                published++;
                var candle = TestCandles.At(TestCandles.Start + (published * 60L), 17_500, 17_500 + (published % 100));
                await _store.SaveLiveAsync(Symbol.NQ, Timeframe.OneMinute, candle, buffer);
            }

            await Poll.UntilAsync(() => good.Received >= published + 1, $"the reading client has all {published} updates");
        }

        // The reading client was never dropped and still gets a new update promptly.
        var last = TestCandles.At(TestCandles.Start + ((published + 1) * 60L), 17_500, 17_600);
        var sent = DateTime.UtcNow;
        await _store.SaveLiveAsync(Symbol.NQ, Timeframe.OneMinute, last, buffer);
        await Poll.UntilAsync(() => good.Received >= published + 2, "the reading client gets the update after the drop");
        Assert.True(DateTime.UtcNow - sent < TimeSpan.FromSeconds(2));
        Assert.Equal(droppedBefore + 1, _server.Metrics[Dropped]);
        Assert.Equal(WebSocketState.Open, good.State);
        await Poll.UntilAsync(() => _server.Metrics[Clients] == 1, "the dropped client removed");
    }

    [Theory]
    [InlineData("symbol=XX&tf=1m", "symbol")]
    [InlineData("symbol=GC&tf=2m", "timeframe")]
    [InlineData("tf=1m", "symbol")]
    [InlineData("symbol=GC", "timeframe")]
    public async Task BadQuery_IsRefusedWith400BeforeTheUpgrade(string query, string parameter)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.LiveSocket(query), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);

        using var response = await _server.Http.GetAsync($"/ws/live?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"parameter\":\"{parameter}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _store.SubscribeCalls);
    }

    [Fact]
    public async Task CrossSiteOrigin_IsRefusedWith403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task PlainGet_OfTheSocket_Returns426()
    {
        using var response = await _server.Http.GetAsync("/ws/live?symbol=GC&tf=1m");

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }
}
