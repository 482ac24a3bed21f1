using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderFlow.Feed.Diagnostics;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <content>The receive loop: WebSocket messages → events.</content>
public sealed partial class FeedClient
{
    private const int ReceiveChunk = 16 * 1024;

    /// <summary>
    /// Receives WebSocket messages and dispatches each one whole, as the WebSocket framing delimits it. Binary and
    /// oversized messages are counted and skipped here; their bytes are never kept.
    /// </summary>
    private async Task<string> ReceiveLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var assembler = new MessageAssembler(_options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var memory = assembler.GetReceiveMemory(ReceiveChunk);
                var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"the server closed the connection ({socket.CloseStatus?.ToString() ?? "no status"}{(string.IsNullOrEmpty(socket.CloseStatusDescription) ? string.Empty : ": " + socket.CloseStatusDescription)})";
                }

                _metrics.Bytes.Add(result.Count);
                switch (assembler.Append(result.Count, result.MessageType, result.EndOfMessage))
                {
                    case MessageStatus.Text:
                        Dispatch(assembler.Message);
                        assembler.Reset();
                        break;

                    case MessageStatus.Binary:
                        // The protocol is text only.
                        Reject(new FeedReadError(FeedRejection.BinaryFrame), assembler.RejectedHead);
                        break;

                    case MessageStatus.TooLarge:
                        Reject(new FeedReadError(FeedRejection.FrameTooLarge, BytePosition: assembler.MaxMessageBytes), assembler.RejectedHead);
                        break;
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
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        if (!FeedMessageReader.TryRead(frame, out var message, out var error))
        {
            Reject(error, frame[..Math.Min(frame.Length, MessageAssembler.HeadBytes)]);
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
