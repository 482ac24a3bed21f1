using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Testing.Tests;

public partial class FeedServerTests
{
    [Fact]
    public async Task StopAsync_ClosesClientsStopsTheStreamAndReleasesThePort()
    {
        var source = new RecordingSource();
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source });
        var uri = server.Uri;
        await using var client = await TestClient.ConnectAsync(uri);
        await server.WaitForConnectionCountAsync(1);
        await source.Streaming.Task.WaitAsync(TestClient.DefaultTimeout);

        await server.StopAsync().WaitAsync(TestClient.DefaultTimeout);

        Assert.True(source.StreamEnded.Task.IsCompleted, "the data source's stream was not stopped");
        Assert.Equal(0, server.ConnectionCount);
        Assert.False(server.IsRunning);
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(uri.Host, uri.Port));

        await server.DisposeAsync(); // idempotent
        await server.StopAsync();
    }

    [Fact]
    public async Task DisposeAsync_WithAClientThatNeverAnswersTheClose_StillCompletes()
    {
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = TestMarket.Create(TestMarket.Clock()), CloseTimeout = TimeSpan.FromMilliseconds(200) });
        using var raw = new TcpClient();
        await raw.ConnectAsync(server.Uri.Host, server.Uri.Port);
        var stream = raw.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        await server.WaitForConnectionCountAsync(1);

        await server.DisposeAsync().AsTask().WaitAsync(TestClient.DefaultTimeout);

        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync());
    }

    [Fact]
    public void Uri_BeforeStart_Throws()
    {
        var server = new FeedServer(new FeedServerOptions { DataSource = TestMarket.Create(TestMarket.Clock()) });
        Assert.Throws<InvalidOperationException>(() => server.Uri);
        Assert.False(server.IsRunning);
    }

    [Fact]
    public async Task StartAsync_PortInUse_Throws()
    {
        await using var first = await TestServer.StartAsync(TestMarket.Clock());
        var second = new FeedServer(new FeedServerOptions { Port = first.Uri.Port, DataSource = TestMarket.Create(TestMarket.Clock()) });
        await Assert.ThrowsAsync<SocketException>(() => second.StartAsync());
        await second.DisposeAsync();
    }

    [Fact]
    public async Task DataSourceFailure_KeepsServingHistory()
    {
        var source = new RecordingSource { FailStream = true };
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source });
        await using var client = await TestClient.ConnectAsync(server.Uri);

        var answer = await client.GetHistoryAsync(Symbol.GC, Timeframe.OneHour, 3);

        Assert.Equal(3, answer.Candles!.Length);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedServer(new FeedServerOptions { Port = 70_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedServer(new FeedServerOptions { SendQueueLimit = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedServer(new FeedServerOptions { MaxHistoryBars = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedServer(new FeedServerOptions { MaxRequestBytes = 10 }));
        Assert.Throws<ArgumentException>(() => new FeedServer().Publish(default));
    }

    /// <summary>A data source that reports when its stream starts and ends; history is three flat candles.</summary>
    private sealed class RecordingSource : InProcessMarketDataSource
    {
        public TaskCompletionSource Streaming { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource StreamEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailStream { get; init; }

        public override IReadOnlyList<Symbol> Symbols { get; } = [Symbol.GC];

        public override string ToString() => "recording source";

        public override ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Enumerable.Range(0, Math.Min(bars, 3)).Select(i => Candle.Create(1704067200 + (i * timeframe.Seconds), 2030, 2031, 2029, 2030.5, 10)).ToArray());

        public override async IAsyncEnumerable<MarketDataEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                Streaming.TrySetResult();
                if (FailStream)
                {
                    throw new InvalidOperationException("recording unavailable");
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                yield break;
            }
            finally
            {
                StreamEnded.TrySetResult();
            }
        }
    }
}
