using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.SyncWorker;
using StackExchange.Redis;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>
/// The worker's real composition (<see cref="SyncWorkerHost.BuildAsync"/>) in process, against a real loopback feed
/// server and a real redis-server, with its logs and metrics recorded and a Redis reader for assertions.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    /// <summary>Small history depths keep a start-up well under a second; 1m covers a whole day so every coarse bucket can be primed.</summary>
    public static readonly Dictionary<string, string?> SmallDepths = new()
    {
        ["Sync:HistoryBars:1m"] = "1500",
        ["Sync:HistoryBars:5m"] = "300",
        ["Sync:HistoryBars:15m"] = "200",
        ["Sync:HistoryBars:1h"] = "100",
        ["Sync:HistoryBars:4h"] = "60",
        ["Sync:HistoryBars:1d"] = "30",
    };

    private bool _stopped;

    private WorkerHarness(FeedServer server, IHost host, string prefix, LogSink logs, ConnectionMultiplexer redis)
    {
        Server = server;
        Host = host;
        Prefix = prefix;
        Logs = logs;
        Redis = redis;
        Db = redis.GetDatabase();
        Engine = host.Services.GetRequiredService<CandleSyncEngine>();
        Metrics = new MetricSink(host.Services.GetRequiredService<IMeterFactory>());
        Reader = new RedisChartStore(redis, new ChartStoreOptions { KeyPrefix = prefix });
    }

    public FeedServer Server { get; }

    public IHost Host { get; }

    public CandleSyncEngine Engine { get; }

    public string Prefix { get; }

    public LogSink Logs { get; }

    public MetricSink Metrics { get; }

    public ConnectionMultiplexer Redis { get; }

    public IDatabase Db { get; }

    public RedisChartStore Reader { get; }

    /// <param name="redisConfiguration">The redis-server to store in.</param>
    /// <param name="source">What the loopback feed server serves.</param>
    /// <param name="settings">Worker settings over the harness's own.</param>
    /// <param name="configure">Changes to the host builder (before the worker registers its services).</param>
    /// <param name="start">False to build only: set up faults, then <see cref="StartHostAsync"/>.</param>
    /// <param name="serverTime">The feed server's clock (its stalls and history delays); the system clock by default.</param>
    /// <param name="prefix">The Redis key prefix: another worker's, to restart on what it stored; a new one by default.</param>
    public static async Task<WorkerHarness> StartAsync(string redisConfiguration, InProcessMarketDataSource source, IDictionary<string, string?>? settings = null, Action<HostApplicationBuilder>? configure = null, bool start = true, TimeProvider? serverTime = null, string? prefix = null)
    {
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source, TimeProvider = serverTime ?? TimeProvider.System });
        prefix ??= NewPrefix();
        var all = new Dictionary<string, string?>(SmallDepths)
        {
            ["Feed:Url"] = server.Uri.ToString(),
            ["Feed:ReconnectDelay"] = "00:00:00.050",
            ["Feed:MaxReconnectDelay"] = "00:00:00.200",
            ["Redis:Configuration"] = redisConfiguration,
            ["Redis:KeyPrefix"] = prefix,
            ["Sync:ChartSyncInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var logs = new LogSink();
        var host = await SyncWorkerHost.BuildAsync(ToArgs(all), builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        // The test's own reader loads whole year charts (13 MB at the seed's depths) on a machine that may be loaded
        // far past its cores: a generous timeout, so a slow read is waited for rather than failed.
        var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration + ",abortConnect=false,asyncTimeout=30000,syncTimeout=30000");
        var harness = new WorkerHarness(server, host, prefix, logs, redis);
        if (start)
        {
            await harness.StartHostAsync();
        }

        return harness;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..8] + ":";

    /// <summary>Validates the configuration and starts the worker (for a harness built with <c>start: false</c>).</summary>
    public async Task StartHostAsync()
    {
        Assert.Null(SyncWorkerHost.ValidateConfiguration(Host));
        await Host.StartAsync();
    }

    public static string[] ToArgs(IDictionary<string, string?> settings) =>
        settings.Select(p => $"--{p.Key}={p.Value}").ToArray();

    public RedisKey ChartKey(Symbol symbol, Timeframe timeframe) => $"{Prefix}chart:{symbol}:{timeframe}:1year";

    public RedisKey CurrentKey(Symbol symbol, Timeframe timeframe) => $"{Prefix}live:{symbol}:{timeframe}:current";

    public IEnumerable<(Symbol Symbol, Timeframe Timeframe)> AllSeries(IEnumerable<Symbol>? symbols = null) =>
        from s in symbols ?? Symbol.Defaults from tf in Timeframe.All select (s, tf);

    public async Task<int> CountChartKeysAsync(IEnumerable<Symbol>? symbols = null)
    {
        var n = 0;
        foreach (var (s, tf) in AllSeries(symbols))
        {
            n += await Db.KeyExistsAsync(ChartKey(s, tf)) ? 1 : 0;
        }

        return n;
    }

    public Task WaitForAllChartsAsync(TimeSpan timeout, IEnumerable<Symbol>? symbols = null) =>
        Eventually.HoldsAsync(async () => await CountChartKeysAsync(symbols) == (symbols?.Count() ?? 5) * 6, timeout, "all chart keys in Redis");

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Host.Dispose();
            Metrics.Dispose();
            await Server.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    public static string Show(Candle c) => string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.FromUnixTimeSeconds(c.OpenTime):O} O={c.Open} H={c.High} L={c.Low} C={c.Close} V={c.Volume}");
}
