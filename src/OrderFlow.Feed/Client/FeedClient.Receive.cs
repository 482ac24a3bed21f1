using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderFlow.Feed.Diagnostics;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <content>The receive loop (socket → pipe) and the parse loop (pipe → events).</content>
public sealed partial class FeedClient
{
    private const int ReceiveChunk = 16 * 1024;
    private const int FirstBytesShown = 64;

    /// <summary>
    /// Receives WebSocket messages into the pipe, each followed by <see cref="FeedProtocol.FrameSeparator"/>. Binary
    /// and oversized messages never reach the reader whole: they are counted here.
    /// </summary>
    private async Task<string> ReceiveLoopAsync(ClientWebSocket socket, PipeWriter writer, CancellationToken cancellationToken)
    {
        long messageBytes = 0;
        var tooLarge = false;
        var binary = false;
        byte[]? binaryHead = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveChunk);
                var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"the server closed the connection ({socket.CloseStatus?.ToString() ?? "no status"}{(string.IsNullOrEmpty(socket.CloseStatusDescription) ? string.Empty : ": " + socket.CloseStatusDescription)})";
                }

                _metrics.Bytes.Add(result.Count);
                if (result.MessageType == WebSocketMessageType.Binary || binary)
                {
                    // The protocol is text only: keep the first bytes for the log line and drop the rest.
                    binary = true;
                    binaryHead ??= memory.Span[..Math.Min(result.Count, FirstBytesShown)].ToArray();
                    if (result.EndOfMessage)
                    {
                        Reject(new FeedReadError(FeedRejection.BinaryFrame), binaryHead);
                        binary = false;
                        binaryHead = null;
                    }

                    continue;
                }

                var received = memory.Span[..result.Count];

                // A raw separator byte can only appear in invalid JSON; make it an invalid byte that is not a separator.
                var separator = received.IndexOf(FeedProtocol.FrameSeparator);
                while (separator >= 0)
                {
                    received[separator] = 0x01;
                    separator = received.IndexOf(FeedProtocol.FrameSeparator);
                }

                messageBytes += result.Count;
                if (!tooLarge && messageBytes > _options.MaxMessageBytes)
                {
                    tooLarge = true;
                    Reject(new FeedReadError(FeedRejection.FrameTooLarge, BytePosition: _options.MaxMessageBytes), received[..Math.Min(received.Length, FirstBytesShown)]);
                }

                if (!tooLarge)
                {
                    writer.Advance(result.Count);
                }

                if (result.EndOfMessage)
                {
                    if (tooLarge)
                    {
                        // Terminate what was already written with a marker the reader skips silently (already counted).
                        writer.GetSpan(1)[0] = 0x00;
                        writer.Advance(1);
                    }

                    writer.GetSpan(1)[0] = FeedProtocol.FrameSeparator;
                    writer.Advance(1);
                    messageBytes = 0;
                    tooLarge = false;
                    var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return "the reader stopped";
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return $"connection lost: {ex.Message}";
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads frames from the pipe and dispatches them until the writer completes.</summary>
    private async Task ParseLoopAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                try
                {
                    while (FeedFrames.TryReadFrame(ref buffer, out var frame))
                    {
                        Dispatch(frame);
                    }
                }
                finally
                {
                    // Consumed up to the last whole frame; examined everything, so the pipe wakes us for more bytes.
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection is being torn down.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Dispatch(in ReadOnlySequence<byte> frame)
    {
        if (!frame.IsEmpty && EndsWithMarker(frame))
        {
            return; // an oversized message, already counted by the receive loop
        }

        if (!FeedMessageReader.TryRead(frame, out var message, out var error))
        {
            Reject(error, frame);
            return;
        }

        _metrics.Message(message.Type);
        switch (message.Type)
        {
            case FeedMessageType.Candle:
                _backoff.OnData();
                Seen(message.Symbol, message.Timeframe, message.Candle.OpenTime);
                _queue.EnqueueCandle(MarketDataEvent.ForCandle(message.Symbol, message.Timeframe, message.Candle));
                break;

            case FeedMessageType.Tick:
                _backoff.OnData();
                var stamped = message.WithReceiveTime(_time.GetUtcNow().ToUnixTimeMilliseconds());
                if (!_queue.EnqueueTick(MarketDataEvent.ForTick(stamped.Symbol, stamped.Tick)))
                {
                    _metrics.Dropped.Add(1);
                    if ((++_droppedTicks & 0x3FFF) == 1)
                    {
                        Log.TicksDropped(_logger, _droppedTicks);
                    }
                }

                break;

            case FeedMessageType.HistoricalCandles:
                _backoff.OnData();
                OnHistory(message);
                break;

            case FeedMessageType.Error:
                Log.ServerError(_logger, message.Text ?? string.Empty);
                _queue.EnqueueControl(MarketDataEvent.ForServerError(message.Text ?? string.Empty));
                break;

            default:
                // pong: its arrival already refreshed the idle timer. Client-side types (ping, get_history) are ignored.
                break;
        }
    }

    private int CountSubscriptions()
    {
        lock (_subscriptions)
        {
            return _subscriptions.Count;
        }
    }

    private void Seen(Candles.Symbol symbol, Candles.Timeframe timeframe, long openTime)
    {
        openTime = NoLaterThanNow(timeframe, openTime);
        lock (_subscriptions)
        {
            if (_subscriptions.TryGetValue(new SeriesKey(symbol, timeframe), out var sub) && !(sub.LastSeenOpenTime >= openTime))
            {
                sub.LastSeenOpenTime = openTime;
            }
        }
    }

    /// <summary>
    /// The last candle seen is where a drop's hole starts, so it is never later than this clock's current interval: a
    /// candle stamped in the future (which the consumer rejects) must not move the hole ahead and shrink the backfill.
    /// </summary>
    private long NoLaterThanNow(Candles.Timeframe timeframe, long openTime) =>
        Math.Min(openTime, timeframe.Floor(_time.GetUtcNow().ToUnixTimeSeconds()));

    private void Reject(in FeedReadError error, in ReadOnlySequence<byte> frame)
    {
        Span<byte> head = stackalloc byte[FirstBytesShown];
        var n = (int)Math.Min(frame.Length, FirstBytesShown);
        frame.Slice(0, n).CopyTo(head);
        Reject(error, head[..n]);
    }

    private void Reject(in FeedReadError error, ReadOnlySpan<byte> firstBytes)
    {
        _metrics.Rejection(error.Reason);
        if (error.Reason == FeedRejection.UnknownType)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var text = Printable(firstBytes);
                Log.UnknownType(_logger, text);
            }

            return;
        }

        if (_logger.IsEnabled(LogLevel.Warning))
        {
            var fault = error.ToString();
            var text = Printable(firstBytes);
            Log.FrameRejected(_logger, fault, text);
        }
    }

    private static bool EndsWithMarker(in ReadOnlySequence<byte> frame)
    {
        var last = frame.Slice(frame.Length - 1);
        return last.FirstSpan[0] == 0x00;
    }

    /// <summary>The first bytes of a frame as printable ASCII, other bytes as \xNN, for log lines.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.Length == 0 ? "(empty)" : text.ToString();
    }
}
