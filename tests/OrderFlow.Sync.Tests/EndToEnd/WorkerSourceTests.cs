using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Databento;
using OrderFlow.Databento.Replay;
using OrderFlow.Feed.Client;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;
using OrderFlow.Redis.Tests.Infrastructure;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.SyncWorker;
using StackExchange.Redis;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>
/// <c>Source</c>: each source is chosen in words and registered once, and synthetic or replayed prices reach a
/// configured Redis only when <c>Source</c> says so. The worker's real composition (or process) and a real redis-server.
/// </summary>
[Collection(WorkerTests.Name)]
public sealed class WorkerSourceTests(RedisFixture redis) : IDisposable
{
    private const string DatabentoKey = "db-SYNCTESTkeyabcdefghijklmnoQ7w9Z";

    /// <summary>Bounds on waits for the worker: far above what it needs, so that a slow machine does not fail them.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("orderflow-worker-source-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, "")]
    [InlineData("--Feed:Url=", "")]
    [InlineData("--Feed:Uri=ws://127.0.0.1:9/", " (Feed:Uri is set, but is not a feed setting: misspelt?)")]
    public async Task Process_RedisWithoutFeedUrl_ExitsWith2_OneLineNamingFeedUrl_AndRedisStaysEmpty(string? feedArg, string hint)
    {
        // A server of its own: "no keys" then means that nothing at all was written.
        await using var server = await RedisServer.StartAsync();
        string[] args = ["--Redis:Configuration=" + server.Configuration, "--Sync:Symbols=GC", "--Logging:LogLevel:Default=Warning", .. feedArg is null ? [] : new[] { feedArg }];

        var (exitCode, error, output) = await WorkerProcess.RunAsync(args);

        Assert.Equal(SyncWorkerHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal(
            $"orderflow-sync: invalid configuration: Feed:Url is not set{hint}: with Redis:Configuration set, Source=feed needs a real feed. "
                + "Set Feed:Url to its ws:// or wss:// URL, or Source=synthetic (or replay) to store synthetic (or replayed) prices on purpose.",
            error);
        Assert.DoesNotContain("synthetic market", output, StringComparison.Ordinal);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var redisServer = connection.GetServers().Single();
        Assert.Equal(0, await redisServer.DatabaseSizeAsync());
        Assert.Empty((await redisServer.InfoAsync("keyspace")).SelectMany(g => g));   // no keys in any database
    }

    [Theory]
    [InlineData("kafka")]
    [InlineData("synthetik")]
    [InlineData("1")]   // not an enum ordinal either
    public async Task Process_UnknownSource_ExitsWith2_OneLineNamingSourceAndTheAllowedValues(string source)
    {
        await using var server = await RedisServer.StartAsync();

        var (exitCode, error, _) = await WorkerProcess.RunAsync("--Source=" + source, "--Redis:Configuration=" + server.Configuration, "--Logging:LogLevel:Default=Warning");

        Assert.Equal(SyncWorkerHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal($"orderflow-sync: invalid configuration: Source '{source}' is not a source: expected feed (the default), databento, replay or synthetic.", error);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        Assert.Equal(0, await connection.GetServers().Single().DatabaseSizeAsync());
    }

    [Theory]
    [InlineData("feed", "Feed:Url is not set")]
    [InlineData("", "Feed:Url is not set")]
    [InlineData("replay", "SyntheticFeed:Dbn is not set: Source=replay replays the DBN files it names")]
    [InlineData("synthetic+dbn", "SyntheticFeed:Dbn is set but Source is synthetic: set Source=replay")]
    public async Task Build_SourceWithoutItsSettings_WithRedis_IsInvalidConfigurationNamingTheKey(string source, string expected)
    {
        var settings = Settings(redis.Configuration, Prefix());
        settings[SyncWorkerHost.SourceKey] = source.Replace("+dbn", "", StringComparison.Ordinal);
        if (source.EndsWith("+dbn", StringComparison.Ordinal))
        {
            settings["SyntheticFeed:Dbn"] = WriteRecentGcBars(10);
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b => b.Logging.ClearProviders()));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Synthetic_WithRedis_StoresTheSyntheticMarket_AndTheFirstLogLineSaysSo()
    {
        var prefix = Prefix();
        var settings = Settings(redis.Configuration, prefix);
        settings[SyncWorkerHost.SourceKey] = "synthetic";
        settings["Feed:Url"] = "ws://127.0.0.1:9/";   // left over from a feed configuration: Source decides, not the URL
        var logs = new LogSink();

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var chart = new RedisKey($"{prefix}chart:{Symbol.GC}:{Timeframe.OneMinute}:1year");
        await RunUntilAsync(settings, logs, () => connection.GetDatabase().KeyExistsAsync(chart), "the synthetic GC 1m chart in Redis");

        Assert.StartsWith("Warning OrderFlow.SyncWorker[3004] Source=synthetic: the worker runs on the synthetic market", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains("in process", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains("synthetic market", logs.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("its fake prices go to Redis", logs.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WithRedis_StoresTheReplayedBars_AndTheFirstLogLineSaysSo()
    {
        var prefix = Prefix();
        var settings = Settings(redis.Configuration, prefix);
        settings[SyncWorkerHost.SourceKey] = "replay";
        settings["SyntheticFeed:Dbn"] = WriteRecentGcBars(30);
        settings["SyntheticFeed:Speed"] = "600";
        settings["SyntheticFeed:MaxTicks"] = "5000";
        var logs = new LogSink();

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var chart = new RedisKey($"{prefix}chart:{Symbol.GC}:{Timeframe.OneMinute}:1year");
        await RunUntilAsync(settings, logs, () => connection.GetDatabase().KeyExistsAsync(chart), "the replayed GC 1m chart in Redis");

        Assert.StartsWith("Warning OrderFlow.SyncWorker[3005] Source=replay: the worker runs in process on the DBN replay", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains("DBN replay of 1 file(s), 30 records (GC), speed 600, ticks kept 5,000", logs.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("its candles go to Redis", logs.Lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feed")]
    [InlineData("dry run")]
    [InlineData("synthetic")]
    [InlineData("SYNTHETIC")]
    [InlineData("replay")]
    [InlineData("databento")]
    public async Task EachSource_RegistersExactlyOneMarketDataSource(string source)
    {
        var settings = new Dictionary<string, string?>(WorkerHarness.SmallDepths) { ["Sync:Symbols"] = "GC", ["Redis:Configuration"] = "" };
        switch (source)
        {
            case "feed":
                settings["Feed:Url"] = "ws://127.0.0.1:9/";
                break;
            case "dry run":
                break;
            case "replay":
                settings[SyncWorkerHost.SourceKey] = source;
                settings["SyntheticFeed:Dbn"] = WriteRecentGcBars(10);
                break;
            case "databento":
                settings[SyncWorkerHost.SourceKey] = source;
                settings["Databento:ApiKey"] = DatabentoKey;
                break;
            default:
                settings[SyncWorkerHost.SourceKey] = source;
                break;
        }

        using var host = await SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b => b.Logging.ClearProviders());
        Assert.Null(SyncWorkerHost.ValidateConfiguration(host));

        var only = Assert.Single(host.Services.GetServices<IMarketDataSource>());
        if (source == "databento")
        {
            Assert.IsType<DatabentoMarketDataSource>(only);
            Assert.Empty(host.Services.GetServices<IValidateOptions<FeedClientOptions>>());   // no feed client, so no Feed:Url to ask for
            return;
        }

        if (source == "feed")
        {
            Assert.IsType<FeedClient>(only);
            Assert.Equal(new Uri("ws://127.0.0.1:9/"), host.Services.GetRequiredService<IOptions<FeedClientOptions>>().Value.Url);
            return;
        }

        // Synthetic, replay and the dry run feed the engine in process: no feed client, no feed server, no socket.
        Assert.IsType(source == "replay" ? typeof(DbnReplaySource) : typeof(SyntheticMarket), only);
        Assert.Null(host.Services.GetService<FeedClient>());
        Assert.Empty(host.Services.GetServices<IValidateOptions<FeedClientOptions>>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Assembly == typeof(FeedClient).Assembly);
    }

    private static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static Dictionary<string, string?> Settings(string redisConfiguration, string prefix) => new(WorkerHarness.SmallDepths)
    {
        ["Redis:Configuration"] = redisConfiguration,
        ["Redis:KeyPrefix"] = prefix,
        ["Sync:Symbols"] = "GC",
        ["Sync:ChartSyncInterval"] = "00:00:01",
    };

    /// <summary>Builds, validates and starts the worker, waits until <paramref name="condition"/> holds, then stops it.</summary>
    private static async Task RunUntilAsync(Dictionary<string, string?> settings, LogSink logs, Func<Task<bool>> condition, string what)
    {
        using var host = await SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b =>
        {
            b.Logging.ClearProviders();
            b.Logging.AddProvider(logs);
        });
        Assert.Null(SyncWorkerHost.ValidateConfiguration(host));
        await host.StartAsync();
        try
        {
            await Eventually.HoldsAsync(condition, Generous, what, pollMs: 100);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StopAsync(timeout.Token);
        }
    }

    /// <summary>
    /// A DBN file of <paramref name="minutes"/> 1-minute GCZ6 bars ending with the minute that just closed: recent,
    /// so that the history window keeps them, and continuous (each opens at the previous close).
    /// </summary>
    private string WriteRecentGcBars(int minutes)
    {
        const uint Gcz6 = 101;
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var start = end.AddMinutes(-minutes);
        var path = Path.Combine(_dir, $"gc-{minutes}.dbn");
        var metadata = new DbnMetadata
        {
            Dataset = "GLBX.MDP3",
            Schema = DbnSchema.Ohlcv1M,
            Start = Nanos(start),
            End = Nanos(end),
            STypeIn = DbnSType.RawSymbol,
            STypeOut = DbnSType.InstrumentId,
            Symbols = ["GCZ6"],
            Mappings = [new DbnSymbolMapping("GCZ6", [new DbnMappingInterval(DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime).AddDays(1), Gcz6.ToString(CultureInfo.InvariantCulture))])],
        };
        using var writer = DbnWriter.Create(File.Create(path), metadata);
        for (var minute = 0; minute < minutes; minute++)
        {
            var open = 2000m + (minute * 0.1m);
            writer.Write(new OhlcvMsg(
                new RecordHeader(DbnRType.Ohlcv1M, 1, Gcz6, Nanos(start.AddMinutes(minute))),
                DbnPrice.FromDecimal(open), DbnPrice.FromDecimal(open + 0.2m), DbnPrice.FromDecimal(open - 0.1m), DbnPrice.FromDecimal(open + 0.1m), 10));
        }

        return path;
    }

    private static ulong Nanos(DateTimeOffset time) => (ulong)time.ToUnixTimeMilliseconds() * 1_000_000UL;
}
