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

    /// <summary>At most one log line per kind of drop in this time (the metric counts every drop).</summary>
    /// <summary>Frames this large have their header peeked first: a history answer nobody asked for is dropped undecoded.</summary>
    private const int PeekBytes = 16 * 1024;

    private static readonly TimeSpan DropLogWindow = TimeSpan.FromSeconds(10);

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
                        _metrics.Rejection(FeedRejection.FrameTooLarge);
                        Log.MessageTooLarge(_logger, assembler.MaxMessageBytes, Printable(assembler.RejectedHead));
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
        if (frame.Length >= PeekBytes && IsUnwantedHistory(frame))
        {
            return;
        }

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
                if (!Seen(message.Symbol, message.Timeframe, message.Candle.OpenTime))
                {
                    Drop(message.Type, DropReason.Unsubscribed, message.Symbol, message.Timeframe);
                }
                else if (!_queue.EnqueueCandle(MarketDataEvent.ForCandle(message.Symbol, message.Timeframe, message.Candle)))
                {
                    Drop(message.Type, DropReason.QueueFull, message.Symbol, message.Timeframe);
                }

                break;

            case FeedMessageType.Tick:
                _backoff.OnData();
                if (!IsSubscribedSymbol(message.Symbol))
                {
                    Drop(message.Type, DropReason.Unsubscribed, message.Symbol, null);
                    break;
                }

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
                if (_queue.EnqueueError(MarketDataEvent.ForServerError(message.Text ?? string.Empty)))
                {
                    Log.ServerError(_logger, message.Text ?? string.Empty);
                }
                else
                {
                    Drop(message.Type, DropReason.QueueFull, default, null);
                }

                break;

            default:
                // pong: its arrival already refreshed the idle timer. Client-side types (ping, get_history) are ignored.
                break;
        }
    }

    /// <summary>
    /// Counts a decoded message that is not queued, and logs one line per burst of drops of its kind: the first drop,
    /// then at most one line per <see cref="DropLogWindow"/> with the count since the last line.
    /// </summary>
    private void Drop(FeedMessageType type, DropReason reason, Candles.Symbol symbol, Candles.Timeframe? timeframe)
    {
        _metrics.Discard(type, reason);
        ref var burst = ref _dropBursts[((int)reason * 8) + (int)type];
        burst.Count++;
        var now = _time.GetTimestamp();
        if (burst.LastLogged != 0 && _time.GetElapsedTime(burst.LastLogged, now) < DropLogWindow)
        {
            return;
        }

        var count = burst.Count;
        burst.Count = 0;
        burst.LastLogged = now == 0 ? 1 : now;
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            var why = reason switch
            {
                DropReason.Unsubscribed => "nobody subscribed to the series",
                DropReason.Unsolicited => "no history request is pending for the series",
                _ => type == FeedMessageType.Error
                    ? $"{FeedEventQueue.DefaultErrorCapacity} server errors already wait for the consumer"
                    : "the candle queue is full; a newer update of the series replaced the queued one",
            };
            var series = symbol.IsEmpty ? "-" : timeframe is { } tf ? $"{symbol.Value} {tf.Name}" : symbol.Value;
            Log.MessagesDropped(_logger, count, TypeName(type), why, series, DropLogWindow);
        }
    }

    private static string TypeName(FeedMessageType type) => type switch
    {
        FeedMessageType.Candle => "candle",
        FeedMessageType.Tick => "tick",
        FeedMessageType.HistoricalCandles => "historical_candles",
        FeedMessageType.Error => "error",
        _ => type.ToString(),
    };

    /// <summary>
    /// Whether a large frame is a history answer for a series with no request pending: then it is dropped (and counted)
    /// on its header alone, its candles never decoded. A frame whose header cannot be peeked takes the normal path.
    /// </summary>
    private bool IsUnwantedHistory(ReadOnlySpan<byte> frame)
    {
        if (!FeedMessageReader.TryPeekSeries(frame, out var type, out var symbol, out var timeframe) || type != FeedMessageType.HistoricalCandles)
        {
            return false;
        }

        if (!DropUnlessRequested(type, symbol, timeframe, answer: false))
        {
            return false;
        }

        _metrics.Message(type);
        return true;
    }

    private bool IsSubscribedSymbol(Candles.Symbol symbol)
    {
        lock (_subscriptions)
        {
            return _subscribedSymbols.Contains(symbol);
        }
    }

    private int CountSubscriptions()
    {
        lock (_subscriptions)
        {
            return _subscriptions.Count;
        }
    }

    /// <summary>Notes a live candle of a subscribed series.</summary>
    /// <returns><see langword="false"/> when nobody subscribed to the series.</returns>
    private bool Seen(Candles.Symbol symbol, Candles.Timeframe timeframe, long openTime)
    {
        openTime = NoLaterThanNow(timeframe, openTime);
        lock (_subscriptions)
        {
            if (!_subscriptions.TryGetValue(new SeriesKey(symbol, timeframe), out var sub))
            {
                return false;
            }

            if (!(sub.LastSeenOpenTime >= openTime))
            {
                sub.LastSeenOpenTime = openTime;
            }

            return true;
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

/// <summary>The drops of one kind since its last log line.</summary>
internal struct DropBurst
{
    public long Count;
    public long LastLogged;
}
