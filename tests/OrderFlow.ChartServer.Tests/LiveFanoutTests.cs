using System.Runtime.InteropServices;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Api;
using OrderFlow.ChartServer.Live;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>The fan-out itself, over recording sockets: one message per update, shared by every client, never re-encoded.</summary>
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
    public async Task Update_IsOneMessageArray_SharedByEveryClient_WrappingThePublishedBytes()
    {
        var fanout = _server.Get<LiveFanout>();
        var key = new SeriesKey(Symbol.GC, Timeframe.OneMinute);
        var sockets = Enumerable.Range(0, 25).Select(_ => new RecordingWebSocket()).ToArray();
        using var stop = new CancellationTokenSource();
        var clients = sockets.Select(s => new LiveClient(s, 16, TimeSpan.FromSeconds(5), TimeProvider.System, _ => { })).ToArray();
        var loops = clients.Select(c => c.SendLoopAsync(stop.Token)).ToArray();
        var memberships = new List<IAsyncDisposable>();
        foreach (var client in clients)
        {
            memberships.Add(await fanout.JoinAsync(key, client, CancellationToken.None));
        }

        string? published = null;
        await using var spy = await _store.SubscribeJsonAsync(Symbol.GC, Timeframe.OneMinute, json => published = Encoding.UTF8.GetString(json.Span));
        var candles = new[] { TestCandles.At(TestCandles.Start, 2000, 2001.5, 42, 30, 10), TestCandles.At(TestCandles.Start + 60, 2001.5, 2002, 7) };
        foreach (var candle in candles)
        {
            await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candle, candles);
            await Poll.UntilAsync(() => sockets.All(s => s.Sent.Count == Array.IndexOf(candles, candle) + 1), "every client has the update");

            var messages = sockets.Select(s => s.Sent[^1]).ToArray();
            Assert.True(MemoryMarshal.TryGetArray(messages[0], out var first));
            Assert.All(messages, m => Assert.True(MemoryMarshal.TryGetArray(m, out var segment) && ReferenceEquals(segment.Array, first.Array)));
            Assert.Equal("""{"type":"candle","symbol":"GC","timeframe":"1m","candle":""" + published! + "}", Encoding.UTF8.GetString(messages[0].Span));
        }

        foreach (var membership in memberships)
        {
            await membership.DisposeAsync();
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
