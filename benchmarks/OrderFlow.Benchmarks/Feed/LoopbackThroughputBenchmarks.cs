using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;

namespace OrderFlow.Benchmarks.Feed;

/// <summary>
/// End to end over a loopback socket: the feed server publishes tick messages and the consumer receives them as
/// values. <see cref="FeedClient"/> (one reused message buffer, zero-allocation decoder, event queue) against a plain
/// <see cref="ClientWebSocket"/> loop that deserialises each message into a DTO.
/// </summary>
/// <remarks>
/// Reported per message (<c>OperationsPerInvoke</c>); the server's encoding and sending is part of both figures. No
/// fixed target: this records the messages/s a client sustains from one server on this machine.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class LoopbackThroughputBenchmarks
{
    private const int Messages = 20_000;

    private FeedServer _server = null!;
    private FeedClient _client = null!;
    private IAsyncEnumerator<MarketDataEvent> _events = null!;
    private ClientWebSocket _raw = null!;
    private byte[] _rawBuffer = [];
    private Tick[] _ticks = [];

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = new SilentSource(), SendQueueLimit = 4 * Messages });
        _client = new FeedClient(new FeedClientOptions { Url = _server.Uri, LiveQueueCapacity = 4 * Messages });

        // The client drops ticks of symbols nobody subscribed to at the reader: subscribe to the one published.
        await _client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await _client.StartAsync();
        _events = _client.ReadEventsAsync().GetAsyncEnumerator();
        while (await _events.MoveNextAsync() && _events.Current.State != SourceConnectionState.Connected)
        {
        }

        _raw = new ClientWebSocket();
        await _raw.ConnectAsync(_server.Uri, CancellationToken.None);
        _rawBuffer = new byte[64 * 1024];
        await _server.WaitForConnectionCountAsync(2);
        _ticks = Enumerable.Range(0, Messages).Select(i => new Tick(1_704_067_200_000L + i, 2030.5 + ((i % 10) * 0.1), 1 + (i % 5))).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _events.DisposeAsync();
        await _client.DisposeAsync();
        _raw.Abort();
        _raw.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>The plain approach: receive each WebSocket message and JsonSerializer it into a DTO.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<double> RawSocketWithSerializer()
    {
        Publish();
        double sum = 0;
        var received = 0;
        while (received < Messages)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _raw.ReceiveAsync(_rawBuffer.AsMemory(count), CancellationToken.None);
                count += result.Count;
            }
            while (!result.EndOfMessage);

            var dto = JsonSerializer.Deserialize<FeedMessageDto>(_rawBuffer.AsSpan(0, count))!;
            if (dto.Type == "tick")
            {
                sum += dto.Price!.Value;
                received++;
            }
        }

        // The FeedClient connection received the same messages: drain them so the next invocation starts clean.
        await DrainClientAsync();
        return sum;
    }

    /// <summary>OrderFlow's client: typed events straight from the pipe.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<double> FeedClientEvents()
    {
        Publish();
        var sum = await DrainClientAsync();

        // The raw connection received the same messages: drain them too.
        var received = 0;
        while (received < Messages)
        {
            var result = await _raw.ReceiveAsync(_rawBuffer.AsMemory(), CancellationToken.None);
            received += result.EndOfMessage ? 1 : 0;
        }

        return sum;
    }

    private void Publish()
    {
        foreach (var tick in _ticks)
        {
            _server.Publish(MarketDataEvent.ForTick(Symbol.GC, tick));
        }
    }

    private async Task<double> DrainClientAsync()
    {
        double sum = 0;
        var received = 0;
        while (received < Messages && await _events.MoveNextAsync())
        {
            if (_events.Current.Kind == MarketDataEventKind.Tick)
            {
                sum += _events.Current.Tick.Price;
                received++;
            }
        }

        return sum;
    }

    /// <summary>A data source with no history and no live data: the benchmark publishes its own messages.</summary>
    private sealed class SilentSource : InProcessMarketDataSource
    {
        public override IReadOnlyList<Symbol> Symbols { get; } = [Symbol.GC];

        public override string ToString() => "silent source";

        public override ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Array.Empty<Candle>());

        public override async IAsyncEnumerable<MarketDataEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }
}
