using System.Collections.Immutable;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Api;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Live;

/// <summary>
/// The live push of one server: one store subscription per series, shared by all the series' WebSocket clients
/// (reference-counted: made by the first client, released when the last one leaves), and fanned out to them.
/// </summary>
/// <remarks>
/// The store calls the subscription handler on its own thread (StackExchange.Redis's) with the published candle JSON:
/// the handler wraps those bytes, unparsed, in the candle message (one array per update) and queues it for the series'
/// pump task, which offers that same array to every client's bounded queue without waiting. Nothing is encoded per
/// client. A client with a full queue is dropped, so a slow client never delays the others.
/// </remarks>
internal sealed partial class LiveFanout : IAsyncDisposable
{
    private readonly IChartStore _store;
    private readonly ChartServerMetrics _metrics;
    private readonly ILogger<LiveFanout> _logger;
    private readonly Dictionary<SeriesKey, Hub> _hubs = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly int _maxPerAddress;
    private int _clients;
    private long _dropped;

    private readonly TimeProvider _time;

    public LiveFanout(IChartStore store, ChartServerMetrics metrics, ILogger<LiveFanout> logger, IOptions<ChartServerOptions> options, TimeProvider time)
    {
        _time = time;
        _store = store;
        _metrics = metrics;
        _logger = logger;
        MaxClients = options.Value.MaxWebSocketClients;
        _maxPerAddress = options.Value.MaxWebSocketsPerAddress;
    }

    /// <summary>The most clients served at once.</summary>
    public int MaxClients { get; }

    /// <summary>The WebSocket clients connected now.</summary>
    public int ClientCount => Volatile.Read(ref _clients);

    /// <summary>The series with an active store subscription now.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_gate)
            {
                return _hubs.Count;
            }
        }
    }

    /// <summary>
    /// Each subscribed series and the age of its newest live update (or of its subscription, before the first update).
    /// </summary>
    public IReadOnlyList<(SeriesKey Key, TimeSpan Age)> SeriesAges()
    {
        Hub[] hubs;
        lock (_gate)
        {
            hubs = [.. _hubs.Values];
        }

        var now = _time.GetTimestamp();
        var ages = new List<(SeriesKey, TimeSpan)>(hubs.Length);
        foreach (var hub in hubs)
        {
            ages.Add((hub.Key, _time.GetElapsedTime(hub.LastUpdate, now)));
        }

        return ages;
    }

    /// <summary>Clients dropped as slow since start.</summary>
    public long DroppedClients => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Reserves a client slot for a client address: null when reserved (release it with <see cref="ReleaseClient"/>),
    /// else the limit that refused it (<c>ws-per-address</c> or <c>ws-total</c>).
    /// </summary>
    public string? TryReserveClient(IPAddress? address)
    {
        address ??= IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        lock (_perAddress)
        {
            var held = _perAddress.GetValueOrDefault(address);
            if (held >= _maxPerAddress)
            {
                return "ws-per-address";
            }

            if (Interlocked.Increment(ref _clients) > MaxClients)
            {
                Interlocked.Decrement(ref _clients);
                return "ws-total";
            }

            _perAddress[address] = held + 1;
        }

        return null;
    }

    /// <summary>Releases a slot taken by <see cref="TryReserveClient"/> for the same address.</summary>
    public void ReleaseClient(IPAddress? address)
    {
        address ??= IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        lock (_perAddress)
        {
            var held = _perAddress.GetValueOrDefault(address);
            if (held <= 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = held - 1;
            }

            Interlocked.Decrement(ref _clients);
        }
    }

    /// <summary>
    /// Adds a client to a series, subscribing to the store when it is the series' first client. Completes when the
    /// subscription is active; dispose the result to leave.
    /// </summary>
    /// <exception cref="ChartStoreException">The store subscription failed.</exception>
    public async Task<IAsyncDisposable> JoinAsync(SeriesKey key, LiveClient client, CancellationToken cancellationToken)
    {
        Hub hub;
        lock (_gate)
        {
            if (!_hubs.TryGetValue(key, out hub!))
            {
                hub = new Hub(this, key);
                _hubs.Add(key, hub);
                hub.Start();
            }

            hub.Add(client);
        }

        var membership = new Membership(this, hub, client);
        try
        {
            await hub.Subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return membership;
        }
        catch
        {
            await membership.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Hub[] hubs;
        lock (_gate)
        {
            hubs = [.. _hubs.Values];
            _hubs.Clear();
        }

        foreach (var hub in hubs)
        {
            await hub.StopAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Counts and logs a client dropped as slow (called once per dropped client).</summary>
    public void ClientDropped(SeriesKey key, LiveClient client)
    {
        Interlocked.Increment(ref _dropped);
        _metrics.ClientDropped(key, client.DropReason ?? "unknown");
        LogClientDropped(_logger, key.Symbol.Value, key.Timeframe.Name, client.DropReason ?? "unknown");
    }

    private async ValueTask LeaveAsync(Hub hub, LiveClient client)
    {
        bool last;
        lock (_gate)
        {
            last = hub.Remove(client);
            if (last && _hubs.TryGetValue(hub.Key, out var current) && current == hub)
            {
                _hubs.Remove(hub.Key);
            }
        }

        if (last)
        {
            await hub.StopAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Live push: subscribed to {Symbol} {Timeframe}")]
    private static partial void LogSubscribed(ILogger logger, string symbol, string timeframe);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Live push: unsubscribed from {Symbol} {Timeframe} (no clients left)")]
    private static partial void LogUnsubscribed(ILogger logger, string symbol, string timeframe);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Live push: dropped a slow client of {Symbol} {Timeframe} ({Reason})")]
    private static partial void LogClientDropped(ILogger logger, string symbol, string timeframe, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Live push: the store subscription to {Symbol} {Timeframe} failed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string symbol, string timeframe);

    /// <summary>A client's place in a series; disposing it leaves the series.</summary>
    private sealed class Membership(LiveFanout owner, Hub hub, LiveClient client) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.LeaveAsync(hub, client) : ValueTask.CompletedTask;
    }

    /// <summary>One series: its store subscription, its clients and the pump that fans updates out.</summary>
    private sealed class Hub(LiveFanout owner, SeriesKey key)
    {
        // Updates are tiny and the pump never waits on a client, so this only fills if the pump is starved of CPU;
        // then the oldest updates go (each carries the whole current candle, so the newest one is what matters).
        // Each entry is a whole WebSocket message, made once per update and shared by every client of the series.
        private readonly Channel<byte[]> _inbox = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });

        private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly byte[] _messagePrefix = ApiJson.CandleMessagePrefix(key);
        private ImmutableArray<LiveClient> _clients = [];

        // The timestamp (owner._time) of the newest published update, or of the hub's start before the first one.
        private long _lastUpdate = owner._time.GetTimestamp();
        private Task? _run;
        private int _stopped;

        public SeriesKey Key => key;

        public long LastUpdate => Interlocked.Read(ref _lastUpdate);

        public Task Subscribed => _subscribed.Task;

        // Caller holds owner._gate.
        public void Add(LiveClient client) => _clients = _clients.Add(client);

        // Caller holds owner._gate. True when it was the last client.
        public bool Remove(LiveClient client)
        {
            _clients = _clients.Remove(client);
            return _clients.IsEmpty;
        }

        public void Start() => _run = RunAsync();

        public async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            _inbox.Writer.TryComplete();
            if (_run is not null)
            {
                await _run.ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Wraps the published candle, byte for byte, in the candle message: the one copy an update costs, made on the
        /// store's thread because the published bytes are only lent for the call.
        /// </summary>
        private void OnPublished(ReadOnlyMemory<byte> candle)
        {
            var suffix = ApiJson.Suffix;
            var message = new byte[_messagePrefix.Length + candle.Length + suffix.Length];
            _messagePrefix.CopyTo(message, 0);
            candle.Span.CopyTo(message.AsSpan(_messagePrefix.Length));
            suffix.CopyTo(message.AsSpan(_messagePrefix.Length + candle.Length));
            _inbox.Writer.TryWrite(message);
            Interlocked.Exchange(ref _lastUpdate, owner._time.GetTimestamp());
        }

        private async Task RunAsync()
        {
            await Task.Yield();
            IAsyncDisposable subscription;
            try
            {
                subscription = await owner._store.SubscribeJsonAsync(key.Symbol, key.Timeframe, OnPublished, owner._stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ChartStoreException or OperationCanceledException)
            {
                LogSubscribeFailed(owner._logger, ex, key.Symbol.Value, key.Timeframe.Name);
                lock (owner._gate)
                {
                    if (owner._hubs.TryGetValue(key, out var current) && current == this)
                    {
                        owner._hubs.Remove(key); // the next client tries again
                    }
                }

                _subscribed.TrySetException(ex);
                return;
            }

            LogSubscribed(owner._logger, key.Symbol.Value, key.Timeframe.Name);
            owner._metrics.SeriesSubscribed(1);
            _subscribed.TrySetResult();
            try
            {
                await foreach (var message in _inbox.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    var clients = _clients; // one reference inside: never torn; replaced whole under the gate
                    foreach (var client in clients)
                    {
                        client.Enqueue(message);
                    }

                    owner._metrics.Fanout(key, clients.Length);
                }
            }
            finally
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
                owner._metrics.SeriesSubscribed(-1);
                LogUnsubscribed(owner._logger, key.Symbol.Value, key.Timeframe.Name);
            }
        }
    }
}
