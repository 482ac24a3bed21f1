using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// Per-client limits: distinct loopback addresses (127.0.0.2, 127.0.0.3) are distinct clients; one of them abusing
/// the server is refused while the other is still served.
/// </summary>
public sealed class ClientLimitsTests : IAsyncLifetime
{
    private static readonly IPAddress s_abuser = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_neighbour = IPAddress.Parse("127.0.0.3");
    private readonly InMemoryChartStore _memory = new();
    private CountingChartStore _store = null!;
    private ChartServerHost _server = null!;

    public async Task InitializeAsync()
    {
        var candle = TestCandles.At(TestCandles.Start, 2000, 2001, 10);
        await _memory.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candle, new[] { candle });
        _store = new CountingChartStore(_memory);
        _server = await ChartServerHost.StartAsync(
            _store,
            "--ChartServer:MaxWebSocketsPerAddress=50",
            "--ChartServer:MaxWebSocketClients=100",
            "--ChartServer:ApiRequestsPerWindow=20",
            "--ChartServer:ApiRateWindow=00:10:00",
            "--ChartServer:LiveCacheDuration=00:10:00");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _memory.Dispose();
    }

    [Fact]
    public async Task WebSockets_OneAddressOpens2000_IsCapped_AnotherAddressStillConnectsAndReceives()
    {
        var open = new ConcurrentBag<ClientWebSocket>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        using var invoker = new HttpMessageInvoker(ClientAddress.Handler(s_abuser));
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                socket.Options.CollectHttpResponseDetails = true;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await socket.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), invoker, timeout.Token);
                    open.Add(socket);
                }
                catch (WebSocketException)
                {
                    refused.Add(socket.HttpStatusCode);
                    socket.Dispose();
                }
            });

            Assert.Equal(50, open.Count);
            Assert.Equal(1_950, refused.Count);
            Assert.All(refused, status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
            await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.limited"] >= 1_950, "the refusals counted");

            // The server-wide cap (100) is not exhausted: another address connects and is served.
            await using var neighbour = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), from: s_neighbour);
            var next = TestCandles.At(TestCandles.Start + 60, 2001, 2003, 5);
            await _memory.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, next, new[] { next });
            var candle = await neighbour.NextCandleAsync();
            Assert.Equal(next.OpenTime, candle.GetProperty("time").GetInt64());
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task WebSockets_ClosedByOneAddress_FreeItsSlots()
    {
        var first = new List<LiveSocketClient>();
        for (var i = 0; i < 50; i++)
        {
            first.Add(await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), from: s_abuser));
        }

        foreach (var client in first)
        {
            await client.CloseAsync();
            await client.DisposeAsync();
        }

        await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.ws.clients"] == 0, "the closed clients released");
        await using var again = await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), from: s_abuser);
        Assert.Equal(WebSocketState.Open, again.State);
    }

    [Fact]
    public async Task ApiLive_BurstFromOneAddress_IsLimited429_AnotherAddressIsServed()
    {
        using var abuser = ClientAddress.Http(_server.BaseUri, s_abuser);
        using var neighbour = ClientAddress.Http(_server.BaseUri, s_neighbour);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            using var response = await abuser.GetAsync("/api/live/GC/1m");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter);
        }));

        Assert.Equal(20, statuses.Count(s => s.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40, statuses.Count(s => s.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Where(s => s.StatusCode == HttpStatusCode.TooManyRequests), s => Assert.NotNull(s.RetryAfter));
        using var served = await neighbour.GetAsync("/api/live/GC/1m");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.limited"] >= 40, "the refusals counted");
    }

    [Fact]
    public async Task ApiLive_ConcurrentRequestsForASeries_ShareOneStoreRead()
    {
        using var a = ClientAddress.Http(_server.BaseUri, s_abuser);
        using var b = ClientAddress.Http(_server.BaseUri, s_neighbour);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? a : b).GetStringAsync("/api/live/GC/1m")));

        Assert.Single(bodies.Distinct());
        Assert.Equal(1, _store.BufferLoads);
    }
}
