using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>
/// A client of a feed server that asks for a large history and stops reading as soon as the answer starts to
/// arrive, as a peer that hung would: the server's send of the answer (megabytes) then blocks on the full socket
/// buffers, mid-message, for as long as the client lives.
/// </summary>
internal sealed class StalledFeedClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private StalledFeedClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Connects, asks for <paramref name="bars"/> 1-minute candles of <paramref name="symbol"/> and returns once the answer has started to arrive.</summary>
    public static async Task<StalledFeedClient> ConnectAsync(Uri uri, Symbol symbol, int bars = 100_000)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                // A tiny receive buffer, so the server's send backs up at once.
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
                await tcp.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        var request = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteGetHistory(request, symbol, Timeframe.OneMinute, bars);
        await socket.SendAsync(request.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);

        // Live ticks first (read and ignored), until the first bytes of the history answer: then stop reading.
        var buffer = new byte[256];
        var start = true;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (start && Encoding.UTF8.GetString(buffer, 0, result.Count).Contains("\"historical_candles\"", StringComparison.Ordinal))
            {
                return new StalledFeedClient(socket);
            }

            start = result.EndOfMessage;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
