using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using OrderFlow.Benchmarks.Candles;
using OrderFlow.Benchmarks.Feed;
using OrderFlow.Candles;
using OrderFlow.Redis;
using OrderFlow.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderFlow.Benchmarks.Redis;

/// <summary>
/// <see cref="RedisChartStore.SaveChartAsync"/> of a 100,000-candle 1m chart into a real <c>redis-server</c> on
/// loopback (serialise, hash, <c>SET … EX</c>), against the plain way: map to a DTO list,
/// <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/>, <c>StringSetAsync</c>.
/// </summary>
/// <remarks>
/// <b>Target:</b> ≤ 50 ms to serialise and store 100,000 candles. Two different charts are saved alternately, so every
/// call really writes (the unchanged-skip never applies). The server is started by the benchmark (a free loopback
/// port, no persistence) and stopped in <c>GlobalCleanup</c>.
/// </remarks>
[MemoryDiagnoser]
public class ChartStoreSaveBenchmarks
{
    private const int Count = 100_000;

    private ChartStoreBench _redis = null!;
    private Candle[][] _charts = [];
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _redis = await ChartStoreBench.StartAsync();
        var series = BenchmarkData.AscendingMinutes(Count + 1);
        _charts = [series[..Count], series[1..]];
    }

    [GlobalCleanup]
    public Task Cleanup() => _redis.DisposeAsync().AsTask();

    /// <summary>The plain way: a DTO list, JsonSerializer, one SET with the TTL.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> SerializerAndStringSet()
    {
        var chart = _charts[_next++ & 1];
        var bytes = JsonSerializer.SerializeToUtf8Bytes(CandleDto.From(chart));
        return await _redis.Db.StringSetAsync("plain:chart:GC:1m:1year", bytes, ChartStoreOptions.DefaultChartTtl);
    }

    /// <summary>The store: pooled UTF-8 writer, XxHash128, one SET with the TTL.</summary>
    [Benchmark]
    public Task<bool> SaveChart() => _redis.Store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, _charts[_next++ & 1]);
}

/// <summary>
/// <see cref="RedisChartStore.LoadChartAsync"/> of a stored 100,000-candle 1m chart (GET as a lease, decode and
/// validate every candle) against the plain way: GET into a byte array,
/// <see cref="JsonSerializer.Deserialize{TValue}(ReadOnlySpan{byte}, JsonSerializerOptions?)"/> into a DTO list,
/// <see cref="Candle.Create"/> for each.
/// </summary>
/// <remarks>
/// No separate target; the load side of the ≤ 50 ms chart target. All read the same stored value.
/// <see cref="LoadChartJson"/> is the unread path the chart server takes.
/// </remarks>
[MemoryDiagnoser]
public class ChartStoreLoadBenchmarks
{
    private const int Count = 100_000;

    private ChartStoreBench _redis = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _redis = await ChartStoreBench.StartAsync();
        var chart = BenchmarkData.AscendingMinutes(Count);
        await _redis.Store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart);
        if ((await LoadChart())?.Length != Count || (await SerializerAndStringGet()).Length != Count)
        {
            throw new InvalidOperationException("The stored chart did not load back with 100,000 candles.");
        }
    }

    [GlobalCleanup]
    public Task Cleanup() => _redis.DisposeAsync().AsTask();

    /// <summary>The plain way: GET as byte[], JsonSerializer into a DTO list, Candle.Create each.</summary>
    [Benchmark(Baseline = true)]
    public async Task<Candle[]> SerializerAndStringGet()
    {
        byte[]? bytes = await _redis.Db.StringGetAsync("chart:GC:1m:1year");
        var dtos = JsonSerializer.Deserialize<List<CandleDto>>(bytes!)!;
        var result = new Candle[dtos.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var d = dtos[i];
            result[i] = Candle.Create(d.Time, d.Open, d.High, d.Low, d.Close, d.Volume);
        }

        return result;
    }

    /// <summary>The store: GET as a pooled lease, Utf8JsonReader decode with per-candle validation.</summary>
    [Benchmark]
    public Task<Candle[]?> LoadChart() => _redis.Store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);

    /// <summary>
    /// The chart server's read (#14): GET into one array, the bracket check, XxHash128 once for the version; no candle
    /// is read. Allocates the stored value's size.
    /// </summary>
    [Benchmark]
    public Task<StoredChart?> LoadChartJson() => _redis.Store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute);
}

/// <summary>
/// The live-update path, <see cref="RedisChartStore.SaveLiveAsync"/> (current candle + 500-candle buffer + publish,
/// one pipelined batch), reported per update, with <see cref="InFlight"/> updates in flight at once, against the
/// plain way: JsonSerializer, then awaiting the three commands one after another, one update at a time.
/// </summary>
/// <remarks>
/// No fixed target: this records the live updates/s one connection sustains to a loopback redis-server on this
/// machine. Every update serialises the full 500-candle buffer (~45 KB), as the seed does.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class ChartStoreLiveBenchmarks
{
    private const int Updates = 1_000;
    private const int InFlight = 64;

    private ChartStoreBench _redis = null!;
    private Candle[] _candles = [];
    private Candle[] _buffer = [];
    private readonly Task[] _pending = new Task[InFlight];

    [GlobalSetup]
    public async Task Setup()
    {
        _redis = await ChartStoreBench.StartAsync();
        _candles = BenchmarkData.AscendingMinutes(Updates);
        _buffer = BenchmarkData.AscendingMinutes(ChartStoreOptions.DefaultBufferSize);
    }

    [GlobalCleanup]
    public Task Cleanup() => _redis.DisposeAsync().AsTask();

    /// <summary>The plain way: JsonSerializer, then SET current, SET buffer, PUBLISH, each awaited in turn.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Updates)]
    public async Task SequentialCommands()
    {
        var db = _redis.Db;
        var channel = RedisChannel.Literal("plain:live:GC:1m:updates");
        foreach (var candle in _candles)
        {
            var current = JsonSerializer.SerializeToUtf8Bytes(CandleDto.From(candle));
            var buffer = JsonSerializer.SerializeToUtf8Bytes(CandleDto.From(_buffer));
            await db.StringSetAsync("plain:live:GC:1m:current", current, ChartStoreOptions.DefaultCurrentTtl);
            await db.StringSetAsync("plain:live:GC:1m:buffer", buffer, ChartStoreOptions.DefaultBufferTtl);
            await db.PublishAsync(channel, current);
        }
    }

    /// <summary>The store: each update one pipelined batch, <see cref="InFlight"/> updates in flight.</summary>
    [Benchmark(OperationsPerInvoke = Updates)]
    public async Task SaveLivePipelined()
    {
        var store = _redis.Store;
        for (var i = 0; i < _candles.Length; i++)
        {
            var slot = i % InFlight;
            if (_pending[slot] is { } previous)
            {
                await previous;
            }

            _pending[slot] = store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, _candles[i], _buffer);
        }

        for (var slot = 0; slot < InFlight; slot++)
        {
            await _pending[slot];
            _pending[slot] = null!;
        }
    }
}

/// <summary>A redis-server started for one benchmark class, a connection to it and a store on that connection.</summary>
internal sealed class ChartStoreBench : IAsyncDisposable
{
    private readonly RedisServer _server;

    private ChartStoreBench(RedisServer server, ConnectionMultiplexer connection)
    {
        _server = server;
        Connection = connection;
        Store = new RedisChartStore(connection, new ChartStoreOptions());
    }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public RedisChartStore Store { get; }

    /// <summary>Starts the server and connects; <paramref name="allowAdmin"/> for <c>INFO</c> (byte counts) on the connection.</summary>
    public static async Task<ChartStoreBench> StartAsync(bool allowAdmin = false)
    {
        RedisServer server;
        try
        {
            server = await RedisServer.StartAsync();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                "The ChartStore benchmarks start their own redis-server on a free loopback port, and it could not be started. " +
                "Install it (`apt-get install -y redis-server`) and make sure `redis-server` is on PATH. " + ex.Message, ex);
        }

        // Benchmark-sized timeouts: a 100,000-candle chart is ~8.6 MB.
        var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},connectTimeout=5000,asyncTimeout=30000,syncTimeout=30000{(allowAdmin ? ",allowAdmin=true" : "")}");
        return new ChartStoreBench(server, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Connection.DisposeAsync();
        await _server.DisposeAsync();
    }
}
