using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.DependencyInjection;
using OrderFlow.MarketData;

namespace OrderFlow.SyncWorker;

/// <summary>The worker's market data source: which one <c>Source</c> names, and its one registration.</summary>
public static partial class SyncWorkerHost
{
    /// <summary>The setting that names the market data source: <c>feed</c> (default), <c>databento</c>, <c>replay</c> or <c>synthetic</c>.</summary>
    public const string SourceKey = "Source";

    /// <summary>The key of the feed's URL.</summary>
    public const string FeedUrlKey = FeedServiceCollectionExtensions.DefaultSection + ":Url";

    /// <summary>The key that, when set, makes the store Redis instead of the in-memory dry run.</summary>
    public const string RedisConfigurationKey = "Redis:Configuration";

    private const string AllowedSources = "feed (the default), databento, replay or synthetic";

    private static readonly Dictionary<string, WorkerSource> s_sources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["feed"] = WorkerSource.Feed,
        ["databento"] = WorkerSource.Databento,
        ["replay"] = WorkerSource.Replay,
        ["synthetic"] = WorkerSource.Synthetic,
    };

    private static readonly HashSet<string> s_feedSettings = new(
        typeof(FeedClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads <c>Source</c>; empty means <see cref="WorkerSource.Feed"/>. Case is ignored.</summary>
    /// <exception cref="InvalidOperationException">The value names no source (the message names the key and the allowed values).</exception>
    internal static WorkerSource ParseSource(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[SourceKey]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return WorkerSource.Feed;
        }

        return s_sources.TryGetValue(value, out var source)
            ? source
            : throw new InvalidOperationException($"{SourceKey} '{value}' is not a source: expected {AllowedSources}.");
    }

    /// <summary>
    /// Registers the one <see cref="IMarketDataSource"/> that <paramref name="source"/> names, with one registration:
    /// the feed client, Databento, or the synthetic market or DBN replay in process (fed to the engine directly, no
    /// socket); returns the start-up log line, which says what the worker runs on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The source's settings are missing or contradict it (the message names the key).</exception>
    private static Action<ILogger> RegisterSource(HostApplicationBuilder builder, WorkerSource source)
    {
        var configuration = builder.Configuration;
        var redis = !string.IsNullOrWhiteSpace(configuration[RedisConfigurationKey]);
        var store = redis ? "Redis" : "the in-memory store (dry run)";
        var dbnFiles = InProcessSource.DbnFiles(configuration);
        switch (source)
        {
            case WorkerSource.Feed when configuration[FeedUrlKey] is { } url && !string.IsNullOrWhiteSpace(url):
                builder.Services.AddFeedClient();
                var masked = MaskUrl(url);
                return logger => FeedConfigured(logger, masked);

            case WorkerSource.Feed when redis:
                // Never a silent stand-in for a missing (or misspelt) feed in a real store: its prices are fake.
                throw new InvalidOperationException(FeedUrlMissing(configuration.GetSection(FeedServiceCollectionExtensions.DefaultSection)));

            case WorkerSource.Feed:
                // The dry run keeps nothing, so a stand-in source is harmless and makes `dotnet run` work as it is.
                InProcessMarketDataSource dryRun = dbnFiles.Length > 0
                    ? InProcessSource.LoadReplay(configuration, dbnFiles)
                    : InProcessSource.CreateMarket(configuration);
                InProcessSource.Register(builder.Services, dryRun);
                var dryRunDescription = dryRun.ToString();
                return logger => DryRunStarted(logger, dryRunDescription);

            case WorkerSource.Synthetic when dbnFiles.Length > 0:
                throw new InvalidOperationException($"{InProcessSource.DbnKey} is set but {SourceKey} is synthetic: set {SourceKey}=replay to replay those files, or clear {InProcessSource.DbnKey}.");

            case WorkerSource.Synthetic:
                var synthetic = InProcessSource.CreateMarket(configuration);
                InProcessSource.Register(builder.Services, synthetic);
                var syntheticDescription = synthetic.ToString();
                return logger => SyntheticStarted(logger, syntheticDescription, store);

            case WorkerSource.Replay when dbnFiles.Length == 0:
                throw new InvalidOperationException($"{InProcessSource.DbnKey} is not set: {SourceKey}=replay replays the DBN files it names ({InProcessSource.DbnKey}=path, or {InProcessSource.DbnKey}:0, :1, … for several).");

            case WorkerSource.Replay:
                var replay = InProcessSource.LoadReplay(configuration, dbnFiles);
                InProcessSource.Register(builder.Services, replay);
                var replayDescription = replay.ToString();
                return logger => ReplayStarted(logger, replayDescription, store);

            case WorkerSource.Databento:
                DatabentoSource.Register(builder.Services);
                var description = DatabentoSource.Describe(configuration);
                return logger => DatabentoConfigured(logger, description);

            default:
                throw new UnreachableException($"{SourceKey}={source} has no registration.");
        }
    }

    /// <summary>
    /// Fails unless exactly one <see cref="IMarketDataSource"/> is registered: each case of <see cref="RegisterSource"/>
    /// makes exactly one registration, and this keeps it so when a case is added or changed.
    /// </summary>
    private static void EnsureOneSource(IServiceCollection services, WorkerSource source)
    {
        var count = services.Count(d => d.ServiceType == typeof(IMarketDataSource));
        if (count != 1)
        {
            throw new UnreachableException($"The worker registered {count} market data sources for {SourceKey}={source}; it must register exactly one.");
        }
    }

    private static string FeedUrlMissing(IConfigurationSection feed)
    {
        // A misspelt key (Feed:Uri) is the likeliest reason the URL is missing: name it.
        var strays = feed.GetChildren()
            .Select(c => c.Key)
            .Where(k => !s_feedSettings.Contains(k))
            .Select(k => feed.Path + ":" + k)
            .ToArray();
        var hint = strays.Length switch
        {
            0 => string.Empty,
            1 => $" ({strays[0]} is set, but is not a feed setting: misspelt?)",
            _ => $" ({string.Join(", ", strays)} are set, but are not feed settings: misspelt?)",
        };
        return $"{FeedUrlKey} is not set{hint}: with {RedisConfigurationKey} set, {SourceKey}=feed needs a real feed. "
            + $"Set {FeedUrlKey} to its ws:// or wss:// URL, or {SourceKey}=synthetic (or replay) to store synthetic (or replayed) prices on purpose.";
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Dry run: Feed:Url is not set and Redis:Configuration is empty, so the worker runs on the {Market} in process and keeps its candles in memory; set Feed:Url for a real feed")]
    private static partial void DryRunStarted(ILogger logger, string market);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "OrderFlow sync worker, feed {Url}")]
    private static partial void FeedConfigured(ILogger logger, string url);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "OrderFlow sync worker, Databento source: {Description}")]
    private static partial void DatabentoConfigured(ILogger logger, string description);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Source=synthetic: the worker runs on the {Market} in process; its fake prices go to {Store}")]
    private static partial void SyntheticStarted(ILogger logger, string market, string store);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Source=replay: the worker runs in process on the {Replay}; its candles go to {Store}")]
    private static partial void ReplayStarted(ILogger logger, string replay, string store);
}
