using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;

namespace OrderFlow.Benchmarks.ChartServer;

/// <summary>
/// The chart server's live push on loopback: one store update (<c>SaveLiveAsync</c>, which publishes) until every
/// WebSocket client of the series has received it. <see cref="OneClient"/> (the baseline) has a single client;
/// <see cref="ThousandClients"/> has 1,000 on one series, sharing one store subscription, one serialised message.
/// </summary>
/// <remarks>
/// <para>
/// <b>Target:</b> 1,000 clients of a 10-updates/s series get every update with a p99 delay from publish to receipt
/// under 50 ms. BenchmarkDotNet's mean is the back-to-back case; the paced case runs in <c>GlobalCleanup</c> (10
/// updates/s for 5 s = 50,000 receipts) and prints <c>// FANOUT</c> lines with p50/p99/max and the managed heap
/// growth with the clients connected (server and clients share this process).
/// </para>
/// <para>
/// <b>Target (#14):</b> ≤ 1 KB allocated per update whatever the client count (one encoded message shared by all;
/// before: ~98 KB per update for 1,000 clients). Allocation is compared between <see cref="OneClient"/> and
/// <see cref="ThousandClients"/>: equal means nothing is allocated per client.
/// </para>
/// <para>
/// Clients run in this process too: the figure includes their receive work on the same two cores, and the harness
/// allocates one object per update (not per client), so what grows with the client count is the server's.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class LiveFanoutBenchmarks
{
    private const int Clients = 1_000;

    private ChartServerBench _server = null!;
    private readonly List<Receiver> _many = [];
    private Receiver _one = null!;
    private long _next;
    private long _heapBefore;
    private long _heapWithClients;
    private Round? _current;
    private Timer? _watchdog;

    [GlobalSetup(Target = nameof(OneClient))]
    public async Task SetupOne()
    {
        _server = await ChartServerBench.StartAsync();
        _one = await Receiver.ConnectAsync(_server.BaseUri, "SI");
        _watchdog = new Timer(_ => Watchdog(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    [GlobalSetup(Target = nameof(ThousandClients))]
    public async Task SetupThousand()
    {
        _server = await ChartServerBench.StartAsync("--ChartServer:ClientQueueCapacity=256", "--ChartServer:MaxWebSocketClients=5000");
        _heapBefore = Heap();
        for (var i = 0; i < Clients; i += 50)
        {
            _many.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Receiver.ConnectAsync(_server.BaseUri, "GC"))));
        }

        _heapWithClients = Heap();
        _watchdog = new Timer(_ => Watchdog(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    [GlobalCleanup(Target = nameof(OneClient))]
    public async Task CleanupOne()
    {
        await _watchdog!.DisposeAsync();
        _one.Dispose();
        await _server.DisposeAsync();
    }

    [GlobalCleanup(Target = nameof(ThousandClients))]
    public async Task CleanupThousand()
    {
        await _watchdog!.DisposeAsync();
        await RunPacedAsync();
        foreach (var receiver in _many)
        {
            receiver.Dispose();
        }

        await _server.DisposeAsync();
    }

    /// <summary>One update to the one client of a series.</summary>
    [Benchmark(Baseline = true)]
    public Task OneClient() => PublishAsync(Symbol.SI, [_one]);

    /// <summary>One update to each of the 1,000 clients of a series.</summary>
    [Benchmark]
    public Task ThousandClients() => PublishAsync(Symbol.GC, _many);

    private async Task PublishAsync(Symbol symbol, IReadOnlyList<Receiver> receivers)
    {
        var time = Interlocked.Increment(ref _next);
        var round = new Round(receivers.Count, delays: null, published: 0);
        foreach (var receiver in receivers)
        {
            receiver.Arm(round);
        }

        var candle = Candle.Create(1_767_571_200 + (time * 60), 2000, 2001, 1999, 2000.5, 1);
        Volatile.Write(ref _current, round);
        await _server.Store.SaveLiveAsync(symbol, Timeframe.OneMinute, candle, ReadOnlyMemory<Candle>.Empty);
        await round.Done; // a timed wait would allocate its timer per update; the watchdog ends a stuck round instead
    }

    /// <summary>Fails a round that has waited longer than 30 s for its receipts (a lost message), so a run never hangs.</summary>
    private void Watchdog()
    {
        if (Volatile.Read(ref _current) is { } round && Stopwatch.GetElapsedTime(round.Started) > TimeSpan.FromSeconds(30))
        {
            round.Fail(new TimeoutException($"Not every client received the update within 30 s ({round.Remaining} missing)."));
        }
    }

    /// <summary>10 updates/s for 5 s to the 1,000 clients: the delay of each receipt after its publish.</summary>
    private async Task RunPacedAsync()
    {
        var delays = new List<double>(50 * Clients);
        for (var update = 0; update < 50; update++)
        {
            var tick = Task.Delay(100);
            var round = new Round(Clients, delays, Stopwatch.GetTimestamp());
            foreach (var receiver in _many)
            {
                receiver.Arm(round);
            }

            var time = Interlocked.Increment(ref _next);
            await _server.Store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, Candle.Create(1_767_571_200 + (time * 60), 2000, 2001, 1999, 2000.5, 1), ReadOnlyMemory<Candle>.Empty);
            await round.Done.WaitAsync(TimeSpan.FromSeconds(30));
            await tick;
        }

        delays.Sort();
        string P(double q) => delays[Math.Min(delays.Count - 1, (int)(q * delays.Count))].ToString("F2", CultureInfo.InvariantCulture);
        var dropped = _server.Get<OrderFlow.ChartServer.Live.LiveFanout>().DroppedClients;
        Console.WriteLine($"// FANOUT {Clients} clients, 10 updates/s for 5 s: {delays.Count} receipts, delay p50 {P(0.50)} ms, p99 {P(0.99)} ms, max {P(1.0)} ms, dropped {dropped}");
        Console.WriteLine($"// FANOUT managed heap: {_heapBefore / 1024.0 / 1024:F1} MB before, {_heapWithClients / 1024.0 / 1024:F1} MB with {Clients} clients connected ({(_heapWithClients - _heapBefore) / 1024.0 / Clients:F1} KB per client, server + client sides); working set {Environment.WorkingSet / 1024.0 / 1024:F0} MB");
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// One update's receipts: counts them down (and records each delay in the paced run). One object per update, shared by
    /// every receiver, so the harness allocates nothing per client and the figure is the server's and the sockets'.
    /// </summary>
    private sealed class Round(int expected, List<double>? delays, long published)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = expected;

        public Task Done => _done.Task;

        public long Started { get; } = Stopwatch.GetTimestamp();

        public int Remaining => Volatile.Read(ref _remaining);

        public void Fail(Exception exception) => _done.TrySetException(exception);

        public void Signal()
        {
            if (delays is not null)
            {
                var ms = Stopwatch.GetElapsedTime(published).TotalMilliseconds;
                lock (delays)
                {
                    delays.Add(ms);
                }
            }

            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    /// <summary>A WebSocket client that signals its armed round on the next message it receives.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly CancellationTokenSource _stop = new();
        private Round? _round;

        private Receiver(ClientWebSocket socket) => _socket = socket;

        public static async Task<Receiver> ConnectAsync(Uri baseUri, string symbol)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/ws/live?symbol={symbol}&tf=1m"), CancellationToken.None);
            var receiver = new Receiver(socket);
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None); // "subscribed"
            _ = receiver.ReceiveLoopAsync(buffer);
            return receiver;
        }

        public void Arm(Round round) => Volatile.Write(ref _round, round);

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Abort();
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ReceiveLoopAsync(byte[] buffer)
        {
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (result.EndOfMessage)
                    {
                        Interlocked.Exchange(ref _round, null)?.Signal();
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
        }
    }
}
