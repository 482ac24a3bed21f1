using System.Text;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// The fan-out, seen from real WebSocket clients: one store subscription per series, one message per update for every
/// client, wrapping the published bytes verbatim (never re-encoded). That the message is one array shared by every
/// client (no allocation per client) is measured by <c>LiveFanoutBenchmarks</c>, not asserted here.
/// </summary>
public sealed class LiveFanoutTests : IAsyncLifetime
{
    private readonly InMemoryChartStore _store = new();
    private ChartServerHost _server = null!;

    public async Task InitializeAsync() => _server = await ChartServerHost.StartAsync(_store);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Update_IsOneMessagePerClient_WrappingThePublishedBytes_OverOneSubscription()
    {
        var clients = new List<LiveSocketClient>();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                clients.Add(await LiveSocketClient.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m")));
            }

            Assert.Equal(1, _server.Metrics["orderflow.chartserver.ws.series"]);
            string? published = null;
            await using var spy = await _store.SubscribeJsonAsync(Symbol.GC, Timeframe.OneMinute, json => published = Encoding.UTF8.GetString(json.Span));
            var candles = new[] { TestCandles.At(TestCandles.Start, 2000, 2001.5, 42, 30, 10), TestCandles.At(TestCandles.Start + 60, 2001.5, 2002, 7) };
            foreach (var candle in candles)
            {
                await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candle, candles);
                foreach (var client in clients)
                {
                    var message = await client.NextAsync();
                    Assert.Equal("""{"type":"candle","symbol":"GC","timeframe":"1m","candle":""" + published! + "}", message.GetRawText());
                }
            }

            Assert.All(clients, c => Assert.Equal(1 + candles.Length, c.Received));   // "subscribed", then one per update
            await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.ws.messages"] == clients.Count * candles.Length, "one message counted per client and update");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await Poll.UntilAsync(() => _server.Metrics["orderflow.chartserver.ws.series"] == 0, "the one subscription released");
    }
}
