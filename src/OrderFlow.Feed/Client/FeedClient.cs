using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Feed.Diagnostics;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <summary>
/// The streaming client of the OrderFlow feed protocol: connects to a WebSocket feed server, requests history for
/// its subscriptions, and turns the server's frames into <see cref="MarketDataEvent"/>s, reconnecting on its own.
/// </summary>
/// <remarks>
/// <para>
/// <b>Receive path.</b> Each WebSocket message is received whole into one reused buffer (the WebSocket framing says
/// where it ends) and decoded by <see cref="FeedMessageReader"/>: candle and tick messages allocate nothing. A malformed frame (bad JSON, missing or wrongly typed field, binary frame, too large) is
/// skipped, logged with its fault and first bytes, and counted; the next frame is processed.
/// </para>
/// <para>
/// <b>Backpressure and bounds.</b> The socket is never blocked by a slow consumer, and every queue is bounded: candle,
/// tick and history messages of series nobody subscribed to are dropped at the reader; queued live candle updates of
/// the same series and open time coalesce (the newest wins, in its own place in the stream: never ahead of ticks it
/// already counts), and past <see cref="FeedClientOptions.LiveQueueCapacity"/>
/// a series' new update replaces its queued one (its newest candle is never lost); ticks queue up to that capacity and
/// are then dropped and reported as one <see cref="MarketDataEventKind.LiveGap"/>; server errors queue up to a small
/// cap; a history answer is delivered only against a pending request of its series. Every drop is counted
/// (<c>orderflow.feed.discarded</c>, <c>orderflow.feed.dropped</c>) and logged once per burst.
/// </para>
/// <para>
/// <b>Health.</b> A <c>ping</c> goes out every <see cref="FeedClientOptions.PingInterval"/>; no traffic for
/// <see cref="FeedClientOptions.IdleTimeout"/> means the connection is dead. Reconnects back off exponentially with
/// full jitter up to <see cref="FeedClientOptions.MaxReconnectDelay"/> (<see cref="ReconnectBackoff"/>), and start over
/// only after a connection stayed up with data for <see cref="FeedClientOptions.StableConnectionTime"/>.
/// </para>
/// <para>
/// <b>Backfill.</b> After a reconnect every subscription's history is re-requested, sized to cover the outage (from
/// the last candle seen to now, plus a margin). An answer that does not reach back to the last candle seen before the
/// drop is not delivered: it is asked again with more bars, up to the subscription's depth. When the source cannot
/// cover the hole (it has nothing older, or the depth is used up), the answer is delivered and the hole reported as a
/// <see cref="MarketDataEventKind.LiveGap"/> naming the series and the missing range. A
/// <see cref="SourceConnectionState.Backfilled"/> event follows once every series is covered or reported.
/// </para>
/// <para>
/// Thread-safe for <see cref="SubscribeAsync"/>; one consumer calls <see cref="ReadEventsAsync"/>. Times come from the
/// injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed partial class FeedClient : IMarketDataSource
{
    // How long a close frame (ours on disposal, or our answer to the server's) may take to go out.
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(2);

    private readonly FeedClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FeedMetrics _metrics;
    private readonly FeedEventQueue _queue;
    private readonly Dictionary<SeriesKey, FeedSubscription> _subscriptions = [];
    private readonly HashSet<Symbol> _subscribedSymbols = [];
    private readonly DropBurst[] _dropBursts = new DropBurst[3 * 8];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ClientWebSocket> _socketFactory;
    private readonly string _maskedUrl;
    private readonly ReconnectBackoff _backoff;
    private Task? _run;
    private ClientWebSocket? _socket;
    private long _lastReceiveTimestamp;
    private int _pendingBackfill;
    private ChannelWriter<FeedSubscription>? _backfillReasks;
    private long _droppedTicks;
    private int _disposed;

    /// <summary>Creates a client; call <see cref="StartAsync"/> to connect.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="logger">Where to log; none by default.</param>
    /// <param name="meterFactory">Creates the <c>OrderFlow.Feed</c> meter; a private meter when absent.</param>
    /// <param name="timeProvider">The clock for heartbeats, backoff and receive times; the system clock by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public FeedClient(IOptions<FeedClientOptions> options, ILogger<FeedClient>? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(options?.Value!, logger, meterFactory, timeProvider)
    {
    }

    /// <inheritdoc cref="FeedClient(IOptions{FeedClientOptions}, ILogger{FeedClient}?, IMeterFactory?, TimeProvider?)"/>
    public FeedClient(FeedClientOptions options, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(options, logger, meterFactory, timeProvider, static () => new ClientWebSocket())
    {
    }

    // jitter: tests only, the backoff's source of jitter (seeded or pinned); Random.Shared when null.
    internal FeedClient(FeedClientOptions options, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider, Func<ClientWebSocket> socketFactory, Random? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new FeedClientOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(FeedClientOptions), typeof(FeedClientOptions), validation.Failures);
        }

        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new FeedMetrics(meterFactory);
        _queue = new FeedEventQueue(options.LiveQueueCapacity);
        _socketFactory = socketFactory;
        _maskedUrl = FeedClientOptions.Mask(options.Url);
        _backoff = new ReconnectBackoff(options.ReconnectDelay, options.MaxReconnectDelay, options.StableConnectionTime, _time, jitter);
    }

    /// <summary>The current connection state.</summary>
    public SourceConnectionState State { get; private set; }

    /// <summary>How many events wait for the consumer.</summary>
    public int PendingEvents => _queue.Count;

    /// <inheritdoc/>
    public ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_run is not null)
        {
            throw new InvalidOperationException("The feed client is already started.");
        }

        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="historyBars"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    public async ValueTask SubscribeAsync(Symbol symbol, Timeframe timeframe, int historyBars, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(historyBars);
        if (symbol.IsEmpty)
        {
            throw new ArgumentException("The symbol is empty.", nameof(symbol));
        }

        ClientWebSocket? socket;
        lock (_subscriptions)
        {
            if (_subscriptions.TryGetValue(new SeriesKey(symbol, timeframe), out var existing))
            {
                existing.Bars = historyBars;
            }
            else
            {
                _subscriptions[new SeriesKey(symbol, timeframe)] = new FeedSubscription(symbol, timeframe, historyBars);
                _subscribedSymbols.Add(symbol);
            }

            // The connection publishes its socket under this lock in the same step as it snapshots the
            // subscriptions it will request: a subscription added before that is in the snapshot (socket is null
            // here), one added after it is not (and this call sends it). Never both, never neither.
            socket = _socket;
        }

        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                await SendHistoryRequestAsync(socket, symbol, timeframe, historyBars, backfill: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection dropped under us: the request is re-sent on the next connection.
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Cancellation is checked before every event, not only when the queue is empty: a consumer that falls behind a
    /// busy feed (or has history answers queued) still stops at once, with the rest left queued.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<MarketDataEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (_queue.TryDequeue(out var e))
            {
                yield return e;
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!await _queue.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_queue.TryDequeue(out var e))
                {
                    yield return e;
                    cancellationToken.ThrowIfCancellationRequested();
                }

                yield break;
            }
        }
    }

    /// <summary>Closes the connection cleanly (a close handshake, bounded in time), stops every background task and ends <see cref="ReadEventsAsync"/>.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var socket = _socket;
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var closeTimeout = new CancellationTokenSource(s_closeTimeout, _time);
                await _sendLock.WaitAsync(closeTimeout.Token).ConfigureAwait(false);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client disposed", closeTimeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing politely is best effort; the socket is aborted below either way.
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }

        _queue.Complete();
        _metrics.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var reconnecting = false;
        var wasConnected = false;
        DateTimeOffset? disconnectedAt = null;
        while (!stop.IsCancellationRequested)
        {
            if (reconnecting)
            {
                var delay = _backoff.NextDelay();
                Log.Reconnecting(_logger, delay, _backoff.Attempt);
                _metrics.Reconnects.Add(1);

                // The timer exists before anyone hears of the wait, so a test that advances a fake clock on the event
                // cannot advance it past a timer that is not there yet.
                var wait = Task.Delay(delay, _time, stop);
                SetState(SourceConnectionState.Reconnecting, null, _backoff.Attempt);
                try
                {
                    await wait.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            reconnecting = true;
            var socket = _socketFactory();
            try
            {
                try
                {
                    using var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, connectTimeout.Token);
                    await socket.ConnectAsync(_options.Url!, linked.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
                {
                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }

                    var reason = ex is OperationCanceledException ? $"connect timed out after {_options.ConnectTimeout}" : $"connect failed: {ex.Message}";
                    Log.ConnectFailed(_logger, _maskedUrl, reason);
                    SetState(SourceConnectionState.Disconnected, reason, 0);
                    continue;
                }

                _backoff.OnConnected();
                var outage = wasConnected ? disconnectedAt : null;
                wasConnected = true;
                string why;
                try
                {
                    why = await RunConnectionAsync(socket, outage, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    // A bug or an unexpected fault must not end the client: log it, reconnect.
                    why = $"unexpected error: {ex.GetType().Name}: {ex.Message}";
                    Log.UnexpectedError(_logger, ex);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                disconnectedAt = _time.GetUtcNow();
                if (_backoff.OnDisconnected())
                {
                    Log.BackoffReset(_logger, _options.StableConnectionTime);
                }

                if (stop.IsCancellationRequested)
                {
                    break;
                }

                Log.Disconnected(_logger, why);
                SetState(SourceConnectionState.Disconnected, why, 0);
            }
            finally
            {
                lock (_subscriptions)
                {
                    _socket = null;
                }

                socket.Abort();
                socket.Dispose();
            }
        }

        State = SourceConnectionState.Disconnected;
    }

    private async Task<string> RunConnectionAsync(ClientWebSocket socket, DateTimeOffset? outageStart, CancellationToken stop)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());

        // Backfill answers that fall short are asked again on this connection; at most one per series is pending.
        var reasks = Channel.CreateUnbounded<FeedSubscription>(new UnboundedChannelOptions { SingleReader = true });
        Volatile.Write(ref _backfillReasks, reasks.Writer);
        FeedSubscription[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions.Values];
            foreach (var sub in subscriptions)
            {
                // Requests sent on an earlier connection are never answered on this one.
                sub.PendingHistory = 0;
            }

            _socket = socket;
        }

        var bars = PlanHistoryRequests(subscriptions, outageStart);

        Log.Connected(_logger, _maskedUrl);
        SetState(SourceConnectionState.Connected, null, 0);

        var receive = ReceiveLoopAsync(socket, connection.Token);
        var heartbeat = HeartbeatLoopAsync(socket, connection.Token);
        var requests = RequestHistoryAsync(socket, subscriptions, bars, outageStart is not null, reasks.Reader, connection.Token);

        var first = await Task.WhenAny(receive, heartbeat).ConfigureAwait(false);
        string reason;
        if (first == receive)
        {
            reason = await receive.ConfigureAwait(false);
            await AnswerCloseAsync(socket, stop).ConfigureAwait(false);
        }
        else
        {
            reason = await heartbeat.ConfigureAwait(false);
        }

        await connection.CancelAsync().ConfigureAwait(false);
        socket.Abort();
        reasks.Writer.TryComplete();
        await Observe(receive, heartbeat, requests).ConfigureAwait(false);
        return reason;
    }

    /// <summary>
    /// Answers a close frame from the server with ours (the close handshake a WebSocket endpoint owes its peer), best
    /// effort and within two seconds: the server then ends the connection at once instead of waiting for its close
    /// timeout, which is what a server that is stopping waits on.
    /// </summary>
    private async Task AnswerCloseAsync(ClientWebSocket socket, CancellationToken stop)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_closeTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
            await _sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Best effort: the socket is aborted next either way.
        }
    }

    private async Task SendHistoryRequestAsync(ClientWebSocket socket, Symbol symbol, Timeframe timeframe, int bars, bool backfill, CancellationToken cancellationToken)
    {
        lock (_subscriptions)
        {
            // Counted before it goes out, so the answer cannot arrive first; an answer without a request is dropped.
            if (_subscriptions.TryGetValue(new SeriesKey(symbol, timeframe), out var sub))
            {
                sub.PendingHistory++;
            }
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            FeedMessageWriter.WriteGetHistory(_sendBuffer, symbol, timeframe, bars);
            await socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }

        Log.HistoryRequested(_logger, bars, symbol.Value, timeframe.Name, backfill ? " (backfill)" : string.Empty);
    }

    private async Task<string> HeartbeatLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var check = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(_options.PingInterval.Ticks, _options.IdleTimeout.Ticks) / 4));
        var nextPing = _time.GetTimestamp() + (long)(_options.PingInterval.TotalSeconds * _time.TimestampFrequency);
        try
        {
            while (true)
            {
                await Task.Delay(check, _time, cancellationToken).ConfigureAwait(false);
                var idle = _time.GetElapsedTime(Volatile.Read(ref _lastReceiveTimestamp));
                if (idle >= _options.IdleTimeout)
                {
                    return $"no traffic from the server for {idle.TotalSeconds:0.#} s (idle timeout {_options.IdleTimeout})";
                }

                if (_time.GetTimestamp() >= nextPing)
                {
                    nextPing = _time.GetTimestamp() + (long)(_options.PingInterval.TotalSeconds * _time.TimestampFrequency);
                    await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        _sendBuffer.ResetWrittenCount();
                        FeedMessageWriter.WritePing(_sendBuffer);
                        await socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _sendLock.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            return $"ping failed: {ex.Message}";
        }
    }

    private void SetState(SourceConnectionState state, string? reason, int attempt)
    {
        State = state;
        _queue.EnqueueControl(MarketDataEvent.ForConnection(state, reason, attempt));
    }

    private static async Task Observe(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                // The connection is over; its loops end with the expected cancellation or socket errors.
            }
        }
    }
}
