using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>A test client of /ws/live that reads every message into a queue (or, as a slow client, never reads).</summary>
internal sealed class LiveSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private int _received;

    private LiveSocketClient(ClientWebSocket socket) => _socket = socket;

    public int Received => Volatile.Read(ref _received);

    public WebSocketState State => _socket.State;

    /// <summary>The close code the server sent, once it has sent one.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects; a reading client waits for the "subscribed" message, a slow one never reads at all.</summary>
    public static async Task<LiveSocketClient> ConnectAsync(Uri uri, bool read = true, IPAddress? from = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var invoker = from is not null ? new HttpMessageInvoker(ClientAddress.Handler(from)) : read ? null : new HttpMessageInvoker(new SocketsHttpHandler
        {
            // A tiny receive buffer, so a client that never reads backs the server up quickly.
            ConnectCallback = async (context, ct) =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
                await s.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        var client = new LiveSocketClient(socket);
        if (read)
        {
            client._reading = client.ReadLoopAsync();
            var hello = await client.NextAsync();
            if (hello.GetProperty("type").GetString() != "subscribed")
            {
                throw new InvalidOperationException($"Expected the subscribed message first, got {hello}");
            }
        }

        return client;
    }

    /// <summary>The next message, within a generous timeout.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next candle message's candle.</summary>
    public async Task<JsonElement> NextCandleAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var message = await NextAsync(timeout);
            if (message.GetProperty("type").GetString() == "candle")
            {
                return message.GetProperty("candle");
            }
        }
    }

    /// <summary>Waits (within a generous timeout) until the server has ended the connection; the socket's state then.</summary>
    public async Task<WebSocketState> EndedAsync(TimeSpan? timeout = null)
    {
        await _reading.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        return _socket.State;
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the close, as a browser does, so the server's close handshake completes.
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                    return;
                }

                using var json = JsonDocument.Parse(buffer.AsMemory(0, count));
                Interlocked.Increment(ref _received);
                _messages.Writer.TryWrite(json.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
