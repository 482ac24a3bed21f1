using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>One whole WebSocket message as the client received it.</summary>
public sealed record Received(byte[] Payload, WebSocketMessageType Type, int Frames)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    public FeedMessage Decode()
    {
        Assert.Equal(WebSocketMessageType.Text, Type);
        Assert.True(FeedMessageReader.TryRead(Payload, out var message, out var error), $"undecodable frame ({error}): {Text}");
        return message;
    }
}

/// <summary>A plain <see cref="ClientWebSocket"/> with the waits the tests need; every wait has a timeout.</summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly byte[] _buffer = new byte[64 * 1024];

    private TestClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<TestClient> ConnectAsync(Uri uri, int receiveBufferSize = 0)
    {
        var socket = new ClientWebSocket();
        if (receiveBufferSize > 0)
        {
            socket.Options.SetBuffer(receiveBufferSize, 4096);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestClient(socket);
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SendAsync(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return Socket.SendAsync(writer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).AsTask();
    }

    public Task RequestHistoryAsync(Symbol symbol, Timeframe timeframe, int bars) =>
        SendAsync(w => FeedMessageWriter.WriteGetHistory(w, symbol, timeframe, bars));

    public Task PingAsync() => SendAsync(FeedMessageWriter.WritePing);

    /// <summary>Receives the next whole message (reassembling fragments); a close shows as a <see cref="WebSocketMessageType.Close"/> message.</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var message = new ArrayBufferWriter<byte>();
        var frames = 0;
        while (true)
        {
            var result = await Socket.ReceiveAsync(_buffer.AsMemory(), cts.Token);
            frames++;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Received([], WebSocketMessageType.Close, frames);
            }

            message.Write(_buffer.AsSpan(0, result.Count));
            if (result.EndOfMessage)
            {
                return new Received(message.WrittenSpan.ToArray(), result.MessageType, frames);
            }
        }
    }

    public async Task<FeedMessage> ReceiveMessageAsync(TimeSpan? timeout = null) => (await ReceiveAsync(timeout)).Decode();

    /// <summary>Receives until a message matches, skipping others (live ticks and candles).</summary>
    public async Task<FeedMessage> ReceiveUntilAsync(Func<FeedMessage, bool> match, TimeSpan? timeout = null, List<FeedMessage>? skipped = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "timed out waiting for a matching message");
            var message = await ReceiveMessageAsync(left);
            if (match(message))
            {
                return message;
            }

            skipped?.Add(message);
        }
    }

    public Task<FeedMessage> ReceiveTypeAsync(FeedMessageType type, TimeSpan? timeout = null, List<FeedMessage>? skipped = null) =>
        ReceiveUntilAsync(m => m.Type == type, timeout, skipped);

    public async Task<FeedMessage> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars)
    {
        await RequestHistoryAsync(symbol, timeframe, bars);
        return await ReceiveUntilAsync(m => m.Type == FeedMessageType.HistoricalCandles && m.Symbol == symbol && m.Timeframe == timeframe);
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server went first.
            }
        }

        Socket.Dispose();
    }
}
