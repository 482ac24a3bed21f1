using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>
/// One client of the feed server: a receive loop that answers requests, and a send loop that drains a bounded
/// queue (with the per-connection faults: stall gate, reordering, duplicates, fragmentation).
/// </summary>
/// <remarks>
/// <para>
/// Nothing waits for a slow client: when its queue is full, the connection is aborted. Only the send loop calls
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>, and it
/// has stopped before the close frame is sent.
/// </para>
/// <para>
/// <b>Closing is bounded.</b> A close, whoever starts it, completes within <see cref="FeedServer.CloseTimeout"/>:
/// the message being sent goes out, the close frames are exchanged, or else the connection is aborted. That includes
/// a client that stopped reading in the middle of a large answer (the send can never finish) and one that never
/// answers the close frame. Once closing, requests are no longer answered, and a history answer being computed is
/// cancelled, so the receive loop sees the client's close at once.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The token sources have no timer; they stay undisposed because a late Abort or BeginClose (a fault or a stop racing the end of the connection) may still cancel them.")]
internal sealed class FeedConnection
{
    private static readonly byte[] s_pong = Encode(static w => FeedMessageWriter.WritePong(w));

    private readonly FeedServer _server;
    private readonly Socket _socket;
    private readonly WebSocket _webSocket;
    private readonly Channel<OutgoingMessage> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _closing = new(); // BeginClose or Abort: no more answers
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private int _aborted;
    private volatile bool _stopSending;
    private int _duplicates;
    private int _reorderPairs;
    private int _fragmentMessages;
    private int _fragmentSize;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = string.Empty;

    public FeedConnection(FeedServer server, long id, Socket socket, WebSocket webSocket, string remoteEndPoint, ILogger logger)
    {
        _server = server;
        Id = id;
        _socket = socket;
        _webSocket = webSocket;
        RemoteEndPoint = remoteEndPoint;
        _logger = logger;
        _queue = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(server.SendQueueLimit)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public long Id { get; }

    public string RemoteEndPoint { get; }

    /// <summary>Why the connection ended, for the log.</summary>
    public string CloseReason { get; private set; } = "closed";

    /// <summary>Queues a message; drops it while the server is stalled; aborts the connection when its queue is full.</summary>
    public void Enqueue(in OutgoingMessage message)
    {
        if (_server.Faults.IsStalled || _stopSending || Volatile.Read(ref _aborted) != 0)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(message) && !_stopSending)
        {
            _server.OnSlowClient(this);
        }
    }

    public void ArmDuplicates(int count) => Interlocked.Add(ref _duplicates, count);

    public void ArmReorder(int pairs) => Interlocked.Add(ref _reorderPairs, pairs);

    public void ArmFragments(int count, int fragmentSize)
    {
        Volatile.Write(ref _fragmentSize, fragmentSize);
        Interlocked.Add(ref _fragmentMessages, count);
    }

    /// <summary>
    /// Starts a graceful close: stop answering and queueing, finish the message being sent, then send a close frame
    /// with this status; <see cref="RunAsync"/> aborts the connection when that has not completed within the close timeout.
    /// </summary>
    public void BeginClose(WebSocketCloseStatus status, string description)
    {
        _closeStatus = status;
        _closeDescription = description;
        CloseReason = description;
        _stopSending = true;
        _queue.Writer.TryComplete();
        _closeRequested.TrySetResult();
        _closing.Cancel();
    }

    /// <summary>Ends the connection at once, without a close handshake: the peer sees a reset.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        _stopSending = true;
        _queue.Writer.TryComplete();
        try
        {
            // Linger 0: close with a TCP reset instead of an orderly shutdown.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing left to reset.
        }

        _closing.Cancel();
        _abort.Cancel();
        _webSocket.Abort();
        _socket.Dispose();
    }

    public async Task RunAsync()
    {
        var sender = SendLoopAsync();
        var receiver = ReceiveLoopAsync();
        try
        {
            var first = await Task.WhenAny(sender, receiver, _closeRequested.Task).ConfigureAwait(false);

            // One deadline for the whole close, from the moment it starts.
            using var deadline = new CancellationTokenSource(_server.CloseTimeout);
            if (first == receiver)
            {
                // The client closed (or the connection failed): stop sending, then answer a close frame.
                _stopSending = true;
                _queue.Writer.TryComplete();
                if (!await CompletesAsync(sender, deadline.Token).ConfigureAwait(false))
                {
                    Abort("send did not stop after the client closed");
                }

                if (Volatile.Read(ref _aborted) == 0 && _webSocket.State == WebSocketState.CloseReceived)
                {
                    await CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, deadline.Token).ConfigureAwait(false);
                }
            }
            else
            {
                // The server is closing this connection (BeginClose), or the send loop ended (the socket failed). The
                // message being sent goes out first; a client that does not read it is aborted, as is one that does
                // not answer the close frame.
                if (!await CompletesAsync(sender, deadline.Token).ConfigureAwait(false))
                {
                    Abort("the client did not read what was being sent when the connection closed");
                }

                if (Volatile.Read(ref _aborted) == 0 && _webSocket.State == WebSocketState.Open)
                {
                    await CloseOutputAsync(_closeStatus, _closeDescription, deadline.Token).ConfigureAwait(false);
                }
                else if (Volatile.Read(ref _aborted) == 0 && _webSocket.State == WebSocketState.CloseReceived)
                {
                    // The client closed at the same moment: answer its close frame instead.
                    await CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, deadline.Token).ConfigureAwait(false);
                }

                if (!await CompletesAsync(receiver, deadline.Token).ConfigureAwait(false))
                {
                    Abort("the client did not answer the close frame");
                }
            }
        }
        finally
        {
            await Observe(sender).ConfigureAwait(false);
            await Observe(receiver).ConfigureAwait(false);
            // _abort is not disposed: a late Abort (a fault racing the end) may still cancel it.
            _webSocket.Dispose();
            _socket.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[8192];
        var message = new ArrayBufferWriter<byte>(1024);
        var tooLarge = false;
        var maxBytes = _server.MaxRequestBytes;
        while (true)
        {
            var result = await _webSocket.ReceiveAsync(buffer.AsMemory(), _abort.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseReason = "closed by the client";
                return;
            }

            if (!tooLarge && message.WrittenCount + result.Count > maxBytes)
            {
                tooLarge = true;
            }

            if (!tooLarge)
            {
                message.Write(buffer.AsSpan(0, result.Count));
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (_stopSending)
            {
                // Closing: requests are read (to reach the client's close frame) but no longer answered.
            }
            else if (tooLarge)
            {
                Reject(string.Create(CultureInfo.InvariantCulture, $"request larger than {maxBytes} bytes"));
            }
            else if (result.MessageType == WebSocketMessageType.Binary)
            {
                Reject("binary frames are not supported: send each request as a JSON text frame");
            }
            else
            {
                await HandleAsync(message.WrittenSpan).ConfigureAwait(false);
            }

            message.ResetWrittenCount();
            tooLarge = false;
        }
    }

    private ValueTask HandleAsync(ReadOnlySpan<byte> frame)
    {
        if (!FeedMessageReader.TryRead(frame, out var request, out var error))
        {
            Reject($"malformed request: {error}");
            return ValueTask.CompletedTask;
        }

        switch (request.Type)
        {
            case FeedMessageType.Ping:
                Enqueue(new OutgoingMessage(s_pong));
                return ValueTask.CompletedTask;
            case FeedMessageType.GetHistory:
                return SendHistoryAsync(request.Symbol, request.Timeframe, request.Bars);
            default:
                Reject($"unexpected message type '{TypeName(request.Type)}': a client sends get_history or ping");
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask SendHistoryAsync(Symbol symbol, Timeframe timeframe, int bars)
    {
        if (_server.History is not { } source)
        {
            Reject($"this server's source ({_server.DataSource}) answers no history on request");
            return;
        }

        if (!source.Symbols.Contains(symbol))
        {
            Reject($"unknown symbol '{symbol}' (this server has {string.Join(", ", source.Symbols)})");
            return;
        }

        bars = bars == 0 ? FeedProtocol.DefaultHistoryBars(timeframe) : bars;
        bars = Math.Min(bars, _server.MaxHistoryBars);
        var started = Stopwatch.GetTimestamp();
        Candle[] candles;
        try
        {
            // Cancelled when the connection closes: an answer nobody will be sent is not worth computing.
            await _server.Faults.DelayHistoryAsync(_closing.Token).ConfigureAwait(false);
            candles = _server.Faults.TrimHistory(await source.GetHistoryAsync(symbol, timeframe, bars, _closing.Token).ConfigureAwait(false));
            _closing.Token.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HistoryFailed(_logger, Id, ex);
            Reject($"history for {symbol} {timeframe} is unavailable: {ex.Message}");
            return;
        }

        var writer = new ArrayBufferWriter<byte>((candles.Length * 100) + 128);
        FeedMessageWriter.WriteHistory(writer, symbol, timeframe, candles);
        Enqueue(new OutgoingMessage(writer.WrittenMemory));
        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.HistoryServed(_logger, Id, candles.Length, symbol.Value, timeframe.Name, writer.WrittenCount, elapsedMs);
    }

    private void Reject(string reason)
    {
        Log.RequestRejected(_logger, Id, reason);
        var writer = new ArrayBufferWriter<byte>(reason.Length + 48);
        FeedMessageWriter.WriteError(writer, reason);
        Enqueue(new OutgoingMessage(writer.WrittenMemory));
    }

    private async Task SendLoopAsync()
    {
        var reader = _queue.Reader;
        OutgoingMessage? held = null;
        while (!_stopSending && await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
        {
            while (!_stopSending && reader.TryRead(out var message))
            {
                await _server.Faults.WaitWhileStalledAsync(_abort.Token).ConfigureAwait(false);
                if (held is null && TryTake(ref _reorderPairs))
                {
                    held = message;
                    continue;
                }

                await SendAsync(message).ConfigureAwait(false);
                if (held is { } first)
                {
                    held = null;
                    await SendAsync(first).ConfigureAwait(false);
                }
            }
        }
    }

    private async ValueTask SendAsync(OutgoingMessage message)
    {
        var fragmentSize = TryTake(ref _fragmentMessages) ? Volatile.Read(ref _fragmentSize) : 0;
        await SendFramesAsync(message, fragmentSize).ConfigureAwait(false);
        if (TryTake(ref _duplicates))
        {
            await SendFramesAsync(message, 0).ConfigureAwait(false);
        }
    }

    private async ValueTask SendFramesAsync(OutgoingMessage message, int fragmentSize)
    {
        var payload = message.Payload;
        if (fragmentSize <= 0 || payload.Length <= fragmentSize)
        {
            await _webSocket.SendAsync(payload, message.Type, endOfMessage: true, _abort.Token).ConfigureAwait(false);
            return;
        }

        for (var offset = 0; offset < payload.Length; offset += fragmentSize)
        {
            var length = Math.Min(fragmentSize, payload.Length - offset);
            await _webSocket.SendAsync(payload.Slice(offset, length), message.Type, endOfMessage: offset + length == payload.Length, _abort.Token).ConfigureAwait(false);
        }
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string description, CancellationToken deadline)
    {
        try
        {
            await _webSocket.CloseOutputAsync(status, description, deadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Abort("the close frame could not be sent");
        }
    }

    /// <summary>Whether <paramref name="task"/> ends (in any way) before <paramref name="deadline"/>.</summary>
    private static async Task<bool> CompletesAsync(Task task, CancellationToken deadline)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        await task.WaitAsync(deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return task.IsCompleted;
    }

    private async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Aborted or stopped: the reason is already recorded.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or SocketException)
        {
            if (Volatile.Read(ref _aborted) == 0)
            {
                CloseReason = ex.Message;
                Log.ConnectionFailed(_logger, Id, ex);
            }
        }
    }

    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private static string TypeName(FeedMessageType type) => type switch
    {
        FeedMessageType.HistoricalCandles => "historical_candles",
        FeedMessageType.Candle => "candle",
        FeedMessageType.Tick => "tick",
        FeedMessageType.Pong => "pong",
        FeedMessageType.Error => "error",
        _ => type.ToString(),
    };

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
