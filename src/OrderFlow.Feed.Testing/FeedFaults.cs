using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing.Internal;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing;

/// <summary>
/// Fault injection for a <see cref="FeedServer"/>, on command: abrupt drops, stalls, malformed frames,
/// duplicated, reordered and fragmented messages, slow and incomplete history. Reach it through
/// <see cref="FeedServer.Faults"/>.
/// </summary>
/// <remarks>
/// <para>
/// Faults that act on "the next messages" (<see cref="DuplicateNext"/>, <see cref="ReorderNext"/>,
/// <see cref="FragmentNext"/>) are armed on every client connected at the time of the call and apply to the next
/// messages each of them is sent, whatever they are (live events, history answers, pongs, errors). Clients that
/// connect later are not affected.
/// </para>
/// <para>
/// To make these faults deterministic in a test, keep the data source quiet (a <see cref="SyntheticMarket"/> on a
/// <c>FakeTimeProvider</c> that is not advanced sends nothing) and send known messages with
/// <see cref="FeedServer.Publish"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed class FeedFaults
{
    private static readonly byte[] s_invalidJson = """{"type":"tick","symbol":"GC","price":2031.1,,"size":2}"""u8.ToArray();
    private static readonly byte[] s_truncatedJson = """{"type":"candle","symbol":"GC","timeframe":"1m","data":{"time":1704067200000,"open":2030.5,"hi"""u8.ToArray();
    private static readonly byte[] s_missingField = """{"type":"tick","symbol":"GC","size":2,"time":1704067201250}"""u8.ToArray();
    private static readonly byte[] s_wrongFieldType = """{"type":"tick","symbol":"GC","price":"2031.1","size":2,"time":1704067201250}"""u8.ToArray();
    private static readonly byte[] s_unknownType = """{"type":"quote","symbol":"GC","bid":2031.0,"ask":2031.1,"time":1704067201250}"""u8.ToArray();
    private static readonly byte[] s_notAnObject = """[{"type":"tick","symbol":"GC","price":2031.1,"size":2}]"""u8.ToArray();
    private static readonly byte[] s_binary = """{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250}"""u8.ToArray();

    private readonly FeedServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _resumed;
    private ITimer? _stallTimer;
    private long _historyDelayTicks;
    private long _historyEarliestSeconds = long.MinValue;
    private int _dropOnAccept;

    internal FeedFaults(FeedServer server, TimeProvider timeProvider, ILogger logger)
    {
        _server = server;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>Whether the server is stalled (see <see cref="Stall"/>).</summary>
    public bool IsStalled => Volatile.Read(ref _resumed) is not null;

    /// <summary>Whether new connections are dropped as soon as they are accepted (see <see cref="DropOnAccept"/>).</summary>
    public bool DropsOnAccept => Volatile.Read(ref _dropOnAccept) != 0;

    /// <summary>Returns the exact bytes <see cref="SendMalformed"/> sends for a kind.</summary>
    /// <param name="kind">The kind of bad frame.</param>
    /// <returns>The payload (UTF-8; for <see cref="MalformedFrameKind.BinaryFrame"/> it goes in a binary frame).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static ReadOnlyMemory<byte> GetMalformedPayload(MalformedFrameKind kind) => kind switch
    {
        MalformedFrameKind.InvalidJson => s_invalidJson,
        MalformedFrameKind.TruncatedJson => s_truncatedJson,
        MalformedFrameKind.MissingField => s_missingField,
        MalformedFrameKind.WrongFieldType => s_wrongFieldType,
        MalformedFrameKind.UnknownType => s_unknownType,
        MalformedFrameKind.NotAnObject => s_notAnObject,
        MalformedFrameKind.BinaryFrame => s_binary,
        _ => throw ThrowHelper.CreateArgumentOutOfRange(nameof(kind), kind, "Unknown MalformedFrameKind."),
    };

    /// <summary>
    /// Drops every connection abruptly: the TCP connection is reset, with no WebSocket close handshake. Clients see
    /// their receive fail (a <see cref="WebSocketException"/>). The server keeps accepting new connections.
    /// </summary>
    /// <returns>How many connections were dropped.</returns>
    public int DropConnections()
    {
        var connections = _server.Connections;
        foreach (var connection in connections)
        {
            connection.Abort("dropped (fault injection)");
        }

        Log.ConnectionsDropped(_logger, connections.Length);
        return connections.Length;
    }

    /// <summary>
    /// Makes the server accept every new connection and drop it at once: the WebSocket handshake completes (the
    /// connection counts in <see cref="FeedServer.ConnectionsAccepted"/>), then the TCP connection is reset with
    /// nothing sent, as by <see cref="DropConnections"/>. A server that is up but broken, the case a client's
    /// reconnect backoff must not answer with a reconnect storm. Connections already open are not affected. Applies
    /// until changed.
    /// </summary>
    /// <param name="enabled"><see langword="true"/> to drop new connections, <see langword="false"/> to serve them again.</param>
    public void DropOnAccept(bool enabled)
    {
        Volatile.Write(ref _dropOnAccept, enabled ? 1 : 0);
        Log.DropOnAccept(_logger, enabled ? "dropped as soon as they are accepted" : "served again");
    }

    /// <summary>
    /// Stalls the server: nothing more is sent to any client, pings go unanswered, and every message produced
    /// meanwhile (live events, answers, pongs) is discarded. Messages already queued are held and sent after
    /// <see cref="Resume"/>. Connections stay open and new ones are accepted.
    /// </summary>
    /// <param name="duration">How long, on the server's <see cref="FeedServerOptions.TimeProvider"/>; <see langword="null"/> until <see cref="Resume"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    public void Stall(TimeSpan? duration = null)
    {
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(duration), d, "The stall duration must be positive (or null for a stall until Resume).");
        }

        lock (_lock)
        {
            _stallTimer?.Dispose();
            _stallTimer = null;
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (duration is { } length)
            {
                _stallTimer = _time.CreateTimer(static state => ((FeedFaults)state!).Resume(), this, length, Timeout.InfiniteTimeSpan);
            }
        }

        Log.StallStarted(_logger, duration);
    }

    /// <summary>Ends a stall; held messages are sent again. Does nothing when the server is not stalled.</summary>
    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_lock)
        {
            _stallTimer?.Dispose();
            _stallTimer = null;
            resumed = _resumed;
            _resumed = null;
        }

        if (resumed is not null)
        {
            resumed.TrySetResult();
            Log.StallEnded(_logger);
        }
    }

    /// <summary>
    /// Makes the server slow to answer history: each <c>get_history</c> is answered only after <paramref name="delay"/>
    /// on the server's clock, and "as of" that later moment, as a busy server would. A connection handles its requests
    /// in order, so its later requests (pings too) wait behind the slow one. Applies to every connection, now and
    /// later, until changed.
    /// </summary>
    /// <param name="delay">How long; <see langword="null"/> or zero to answer at once again.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public void DelayHistory(TimeSpan? delay)
    {
        if (delay is { } d && d < TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(delay), d, "The history delay must not be negative (null or zero for none).");
        }

        Volatile.Write(ref _historyDelayTicks, delay?.Ticks ?? 0);
        Log.HistoryFault(_logger, delay is { Ticks: > 0 } ? $"delayed by {delay}" : "no longer delayed");
    }

    /// <summary>
    /// Makes the server lack older history: every history answer leaves out the candles that open before
    /// <paramref name="earliest"/>, so it starts no earlier than that and holds fewer bars than asked when the
    /// request reaches further back. Applies to every connection, now and later, until changed.
    /// </summary>
    /// <param name="earliest">The earliest open time served; <see langword="null"/> to serve everything again.</param>
    public void TrimHistoryBefore(DateTimeOffset? earliest)
    {
        Volatile.Write(ref _historyEarliestSeconds, earliest?.ToUnixTimeSeconds() ?? long.MinValue);
        Log.HistoryFault(_logger, earliest is { } e ? $"start no earlier than {e:o}" : "are no longer trimmed");
    }

    /// <summary>Sends a bad frame of the given kind to every client (payload: <see cref="GetMalformedPayload"/>).</summary>
    /// <param name="kind">The kind of bad frame.</param>
    /// <returns>How many clients it was queued for.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public int SendMalformed(MalformedFrameKind kind)
    {
        var payload = GetMalformedPayload(kind);
        var clients = Send(payload, kind == MalformedFrameKind.BinaryFrame ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
        Log.MalformedSent(_logger, kind, clients);
        return clients;
    }

    /// <summary>Sends arbitrary bytes as one message to every client, as they are.</summary>
    /// <param name="payload">The message bytes.</param>
    /// <param name="messageType">Text (default) or binary.</param>
    /// <returns>How many clients it was queued for.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="messageType"/> is <see cref="WebSocketMessageType.Close"/>.</exception>
    public int SendRaw(ReadOnlyMemory<byte> payload, WebSocketMessageType messageType = WebSocketMessageType.Text)
    {
        if (messageType is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(messageType), messageType, "Only text and binary messages can be sent raw.");
        }

        var clients = Send(payload.ToArray(), messageType);
        Log.RawSent(_logger, messageType, payload.Length, clients);
        return clients;
    }

    /// <summary>Sends each of the next <paramref name="count"/> messages to every connected client twice, back to back.</summary>
    /// <param name="count">How many messages (per client).</param>
    /// <returns>How many clients were armed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public int DuplicateNext(int count = 1)
    {
        CheckCount(count, nameof(count));
        var connections = _server.Connections;
        foreach (var connection in connections)
        {
            connection.ArmDuplicates(count);
        }

        Log.MessagesArmed(_logger, "duplicate", count, connections.Length);
        return connections.Length;
    }

    /// <summary>
    /// Swaps each of the next <paramref name="pairs"/> pairs of messages to every connected client: the first of a
    /// pair is held until the second has been sent (it waits for the second however long that takes).
    /// </summary>
    /// <param name="pairs">How many pairs (per client).</param>
    /// <returns>How many clients were armed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pairs"/> is less than 1.</exception>
    public int ReorderNext(int pairs = 1)
    {
        CheckCount(pairs, nameof(pairs));
        var connections = _server.Connections;
        foreach (var connection in connections)
        {
            connection.ArmReorder(pairs);
        }

        Log.MessagesArmed(_logger, "swap pairs", pairs * 2, connections.Length);
        return connections.Length;
    }

    /// <summary>
    /// Splits each of the next <paramref name="count"/> messages to every connected client into WebSocket
    /// fragments of <paramref name="fragmentSize"/> bytes (every frame but the last has endOfMessage = false).
    /// </summary>
    /// <param name="count">How many messages (per client).</param>
    /// <param name="fragmentSize">The payload bytes per fragment; a message no longer than this goes whole.</param>
    /// <returns>How many clients were armed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="fragmentSize"/> is less than 1.</exception>
    public int FragmentNext(int count = 1, int fragmentSize = 16)
    {
        CheckCount(count, nameof(count));
        CheckCount(fragmentSize, nameof(fragmentSize));
        var connections = _server.Connections;
        foreach (var connection in connections)
        {
            connection.ArmFragments(count, fragmentSize);
        }

        Log.MessagesArmed(_logger, "fragment", count, connections.Length);
        return connections.Length;
    }

    internal ValueTask DelayHistoryAsync(CancellationToken cancellationToken)
    {
        var ticks = Volatile.Read(ref _historyDelayTicks);
        return ticks == 0 ? ValueTask.CompletedTask : new ValueTask(Task.Delay(TimeSpan.FromTicks(ticks), _time, cancellationToken));
    }

    internal Candle[] TrimHistory(Candle[] candles)
    {
        var earliest = Volatile.Read(ref _historyEarliestSeconds);
        if (earliest == long.MinValue)
        {
            return candles;
        }

        return Array.FindAll(candles, c => c.OpenTime >= earliest);
    }

    internal ValueTask WaitWhileStalledAsync(CancellationToken cancellationToken)
    {
        var resumed = Volatile.Read(ref _resumed);
        return resumed is null ? ValueTask.CompletedTask : new ValueTask(resumed.Task.WaitAsync(cancellationToken));
    }

    internal void StopTimers()
    {
        lock (_lock)
        {
            _stallTimer?.Dispose();
            _stallTimer = null;
        }
    }

    private int Send(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
    {
        var connections = _server.Connections;
        var message = new OutgoingMessage(payload, type);
        foreach (var connection in connections)
        {
            connection.Enqueue(message);
        }

        return connections.Length;
    }

    private static void CheckCount(int value, string name)
    {
        if (value < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, value, $"{name} must be at least 1.");
        }
    }
}
