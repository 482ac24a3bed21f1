using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Feed.Protocol;
using OrderFlow.Feed.Testing.Internal;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing;

/// <summary>
/// A WebSocket server that speaks the OrderFlow feed protocol on 127.0.0.1, for tests (in process, on an ephemeral
/// port) and demos: an adapter from any <see cref="IMarketDataSource"/> to the wire — history on request (from the
/// source's <see cref="IHistorySource"/>), live ticks and candles from its events — with <see cref="Faults"/> on command.
/// </summary>
/// <remarks>
/// <para>
/// <b>Source.</b> The server starts its <see cref="DataSource"/> when it starts and disposes it when it stops (give
/// each server its own source), and broadcasts the source's tick and candle events to every client; the source's
/// other events (its connection state, its server errors) are logged, not sent. Each client's <c>get_history</c> is
/// answered by <see cref="IHistorySource.GetHistoryAsync"/>, at the depth that client asks for; a source without
/// <see cref="IHistorySource"/> (such as a feed client) gets every history request an <c>error</c> answer. The
/// synthetic market, the DBN replay and the CSV replay implement both.
/// </para>
/// <para>
/// <b>Protocol.</b> One JSON message per text frame, read and written with <see cref="FeedMessageReader"/> and
/// <see cref="FeedMessageWriter"/>. A client sends <c>get_history</c> (answered with <c>historical_candles</c>;
/// <c>bars</c> absent or 0 means <see cref="FeedProtocol.DefaultHistoryBars"/>, capped at
/// <see cref="FeedServerOptions.MaxHistoryBars"/>) and <c>ping</c> (answered with <c>pong</c>). Anything else — bad
/// JSON, a missing or mistyped field, an unknown type or symbol, a binary frame, an oversized message — gets an
/// <c>error</c> message, and the connection stays up. Every client receives every live event.
/// </para>
/// <para>
/// <b>Back-pressure.</b> Each client has its own bounded send queue
/// (<see cref="FeedServerOptions.SendQueueLimit"/>); a client that falls that far behind is disconnected and
/// counted (<see cref="SlowClientsDisconnected"/>), so a slow client never stalls the others.
/// </para>
/// <para>
/// <b>Lifetime.</b> <see cref="StartAsync"/> binds the port; <see cref="StopAsync"/> (or disposal) stops accepting,
/// stops the live stream, closes every client with status 1001 (aborting those whose close has not completed within
/// <see cref="FeedServerOptions.CloseTimeout"/>: a client that stopped reading, or never answers the close frame) and
/// waits for every task it started, so a stop takes at most about that timeout. A stopped server cannot be
/// restarted. Thread-safe.
/// </para>
/// </remarks>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Lock _broadcastLock = new();
    private readonly ArrayBufferWriter<byte> _broadcastBuffer = new(512);
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private readonly int _port;
    private FeedConnection[] _connections = [];
    private TaskCompletionSource _connectionsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;
    private Task? _pump;
    private Task? _stopTask;
    private Uri? _uri;
    private bool _started;
    private long _nextConnectionId;
    private long _connectionsAccepted;
    private long _slowClients;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (a synthetic market on an ephemeral port).</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="FeedServerOptions.Validate"/>).</exception>
    public FeedServer(FeedServerOptions? options = null, ILogger<FeedServer>? logger = null)
    {
        options ??= new FeedServerOptions();
        options.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _port = options.Port;
        SendQueueLimit = options.SendQueueLimit;
        MaxHistoryBars = options.MaxHistoryBars;
        MaxRequestBytes = options.MaxRequestBytes;
        HandshakeTimeout = options.HandshakeTimeout;
        CloseTimeout = options.CloseTimeout;
        DataSource = options.DataSource ?? new SyntheticMarket(null, options.TimeProvider);
        History = DataSource as IHistorySource;
        Faults = new FeedFaults(this, options.TimeProvider, _logger);
    }

    /// <summary>Where history and live events come from; the server starts it and disposes it (see the remarks).</summary>
    public IMarketDataSource DataSource { get; }

    /// <summary>Fault injection on command.</summary>
    public FeedFaults Faults { get; }

    /// <summary>The address to connect to, <c>ws://127.0.0.1:port/</c> (any path is accepted).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public Uri Uri => _uri ?? throw ThrowHelper.CreateInvalidOperation("The feed server has no address until StartAsync has run.");

    /// <summary>Whether the server is accepting connections (started and not stopped).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _started && _stopTask is null;
            }
        }
    }

    /// <summary>How many clients are connected now (after their handshake).</summary>
    public int ConnectionCount => Volatile.Read(ref _connections).Length;

    /// <summary>How many clients have completed a handshake since the start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>How many clients were disconnected because their send queue overflowed.</summary>
    public long SlowClientsDisconnected => Interlocked.Read(ref _slowClients);

    /// <summary>The source's history on request; <see langword="null"/> when it has none to give.</summary>
    internal IHistorySource? History { get; }

    internal int SendQueueLimit { get; }

    internal int MaxHistoryBars { get; }

    internal int MaxRequestBytes { get; }

    internal TimeSpan HandshakeTimeout { get; }

    internal TimeSpan CloseTimeout { get; }

    internal FeedConnection[] Connections => Volatile.Read(ref _connections);

    /// <summary>Creates and starts a server.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="SocketException">The port is in use.</exception>
    public static async Task<FeedServer> StartNewAsync(FeedServerOptions? options = null, ILogger<FeedServer>? logger = null, CancellationToken cancellationToken = default)
    {
        var server = new FeedServer(options, logger);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Binds the port and starts accepting clients and streaming the data source.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once the server listens (<see cref="Uri"/> is then set).</returns>
    /// <exception cref="InvalidOperationException">The server was already started or stopped.</exception>
    /// <exception cref="SocketException">The port is in use.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_started || _stopTask is not null)
            {
                ThrowHelper.ThrowInvalidOperation("The feed server was already started (or stopped); create a new FeedServer.");
            }

            var listener = new TcpListener(IPAddress.Loopback, _port);
            listener.Start();
            _listener = listener;
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}/"));
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, token), CancellationToken.None);
            _pump = Task.Run(() => PumpAsync(token), CancellationToken.None);
            _started = true;
        }

        Log.ServerStarted(_logger, _uri, DataSource);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the server: no new connections, the live stream stops, every client gets a close frame (status 1001)
    /// or, failing that, an abort, and every task the server started has finished when the returned task completes.
    /// Calling it again returns the same stop.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the stop itself carries on).</param>
    /// <returns>A task that completes when everything has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task stop;
        lock (_lock)
        {
            _stopTask ??= _started ? StopCoreAsync() : Task.CompletedTask;
            stop = _stopTask;
        }

        return stop.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
    }

    /// <summary>Sends a live event to every connected client now, as if the data source had produced it.</summary>
    /// <param name="feedEvent">The event.</param>
    /// <returns>How many clients it was queued for.</returns>
    /// <exception cref="ArgumentException"><paramref name="feedEvent"/> is not a tick or candle event, has the empty
    /// symbol, or (a candle event) carries the invalid default candle.</exception>
    public int Publish(MarketDataEvent feedEvent)
    {
        if (feedEvent.Kind is not (MarketDataEventKind.Tick or MarketDataEventKind.Candle))
        {
            ThrowHelper.ThrowArgument(nameof(feedEvent), $"A {feedEvent.Kind} event cannot be published: create it with MarketDataEvent.ForTick or MarketDataEvent.ForCandle.");
        }

        if (feedEvent.Symbol.IsEmpty || (feedEvent.Kind == MarketDataEventKind.Candle && feedEvent.Candle.IsDefault))
        {
            ThrowHelper.ThrowArgument(nameof(feedEvent), "The event has the empty symbol or the invalid default candle: use Symbol.Parse (or Symbol.GC, …) and Candle.Create.");
        }

        return Broadcast(feedEvent);
    }

    /// <summary>Waits until exactly <paramref name="count"/> clients are connected (handshake done, not yet closed).</summary>
    /// <param name="count">The number of connections to wait for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the count is reached.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task WaitForConnectionCountAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_connections.Length == count)
                {
                    return;
                }

                changed = _connectionsChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void OnSlowClient(FeedConnection connection)
    {
        Interlocked.Increment(ref _slowClients);
        Log.SlowClientDisconnected(_logger, connection.Id, SendQueueLimit);
        connection.Abort("slow client: send queue full");
    }

    private int Broadcast(in MarketDataEvent feedEvent)
    {
        lock (_broadcastLock)
        {
            _broadcastBuffer.ResetWrittenCount();
            if (feedEvent.Kind == MarketDataEventKind.Tick)
            {
                FeedMessageWriter.WriteTick(_broadcastBuffer, feedEvent.Symbol, feedEvent.Tick);
            }
            else
            {
                FeedMessageWriter.WriteCandle(_broadcastBuffer, feedEvent.Symbol, feedEvent.Timeframe, feedEvent.Candle);
            }

            var message = new OutgoingMessage(_broadcastBuffer.WrittenSpan.ToArray());
            var connections = Connections;
            foreach (var connection in connections)
            {
                connection.Enqueue(message);
            }

            return connections.Length;
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DataSource.StartAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var feedEvent in DataSource.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (feedEvent.Kind)
                {
                    case MarketDataEventKind.Tick or MarketDataEventKind.Candle:
                        Broadcast(feedEvent);
                        break;
                    case MarketDataEventKind.ServerError:
                        Log.DataSourceError(_logger, feedEvent.Message);
                        break;
                    default:
                        // Its connection state and answers to subscriptions (the server makes none) are the source's
                        // business with its own consumer, not the clients'.
                        break;
                }
            }

            Log.StreamEnded(_logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A failing data source must not take the server down: it is logged, history still works.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DataSourceFailed(_logger, ex);
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || (ex is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                Log.AcceptFailed(_logger, ex);
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            var task = HandleSocketAsync(socket, id, cancellationToken);
            _tasks[id] = task;
            _ = task.ContinueWith(_ => _tasks.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleSocketAsync(Socket socket, long id, CancellationToken cancellationToken)
    {
        await Task.Yield();
        socket.NoDelay = true;
        var remote = socket.RemoteEndPoint?.ToString() ?? "unknown";
        var stream = new NetworkStream(socket, ownsSocket: true);
        FeedConnection? connection = null;
        try
        {
            string? refused;
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(HandshakeTimeout);
                refused = await WebSocketHandshake.AcceptAsync(stream, handshake.Token).ConfigureAwait(false);
            }

            if (refused is not null)
            {
                Log.HandshakeRejected(_logger, remote, refused);
                return;
            }

            var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            connection = new FeedConnection(this, id, socket, webSocket, remote, _logger);
            if (!Register(connection))
            {
                connection.BeginClose(WebSocketCloseStatus.EndpointUnavailable, "server stopping");
            }

            Log.ConnectionOpened(_logger, id, remote);
            if (Faults.DropsOnAccept)
            {
                connection.Abort("dropped on accept (fault injection)");
            }

            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.HandshakeRejected(_logger, remote, "no upgrade request in time, or the server stopped");
        }
#pragma warning disable CA1031 // One broken connection must not fail the server's stop: it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ConnectionFailed(_logger, id, ex);
        }
        finally
        {
            if (connection is not null)
            {
                Unregister(connection);
                Log.ConnectionClosed(_logger, id, connection.CloseReason);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool Register(FeedConnection connection)
    {
        lock (_lock)
        {
            if (_stopTask is not null)
            {
                return false;
            }

            _connections = [.. _connections, connection];
            _connectionsAccepted++;
            SignalChanged();
            return true;
        }
    }

    private void Unregister(FeedConnection connection)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_connections, connection);
            if (index < 0)
            {
                return;
            }

            _connections = [.. _connections.AsSpan(0, index), .. _connections.AsSpan(index + 1)];
            SignalChanged();
        }
    }

    private void SignalChanged()
    {
        var changed = _connectionsChanged;
        _connectionsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private async Task StopCoreAsync()
    {
        await Task.Yield();
        await _stopping!.CancelAsync().ConfigureAwait(false);
        _listener!.Stop();
        Faults.StopTimers();
        Faults.Resume();

        // Clients first: that also cancels the history answers being computed, which hold the data source the live
        // stream needs to end. No connection registers after the stop began, so none is missed. Each close is
        // bounded by CloseTimeout (then the connection is aborted), so the wait below is bounded too.
        foreach (var connection in Connections)
        {
            connection.BeginClose(WebSocketCloseStatus.EndpointUnavailable, "server stopping");
        }

        await _acceptLoop!.ConfigureAwait(false);
        await _pump!.ConfigureAwait(false);
        await Task.WhenAll(_tasks.Values).ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
        Log.ServerStopped(_logger, _uri!);
    }
}
