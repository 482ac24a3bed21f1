using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.SyncWorker;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>The worker's start-up contract: one clear message for bad configuration, and the dry run's notice.</summary>
[Collection(WorkerTests.Name)]
public sealed class WorkerConfigurationTests
{
    [Theory]
    [InlineData("Sync:Symbols:0", "XX1!", "Sync:Symbols[0]: 'XX1!' is not a valid symbol")]
    [InlineData("Sync:Timeframes:1", "2m", "Sync:Timeframes[1]: '2m' is not a timeframe")]
    [InlineData("Sync:Symbols", "GC,ZZ?", "Sync:Symbols[1]: 'ZZ?' is not a valid symbol")]
    [InlineData("Sync:ChartSyncInterval", "00:00:00", "Sync:ChartSyncInterval must be > 0")]
    [InlineData("Sync:HistorySyncInterval", "-00:01:00", "Sync:HistorySyncInterval must be > 0")]
    [InlineData("Sync:LiveWriteInterval", "00:05:00", "Sync:LiveWriteInterval must be > 0 and at most half the live keys' TTL")]
    [InlineData("Sync:HistoryBars:1m", "0", "Sync:HistoryBars:1m must be between 1 and 1000000")]
    [InlineData("Sync:HistoryBars:2h", "10", "Sync:HistoryBars:2h: '2h' is not a timeframe")]
    [InlineData("Feed:Url", "http://example.com/", "Feed:Url must be an absolute ws:// or wss:// URL")]
    [InlineData("Feed:Url", "not a url", "Feed:Url must be an absolute ws:// or wss:// URL")]
    [InlineData("Rules:GC:1m:MaxWick", "-1", "Rules:GC:1m:MaxWick")]
    [InlineData("Rules:GC:Wick", "3", "Rules:GC:Wick: 'Wick' is not a rule field")]
    [InlineData("Sync:ChartSyncInterval", "soon", "Sync:ChartSyncInterval")]
    public async Task InvalidConfiguration_OneClearMessageNamingTheKey(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Feed:Url"] = "ws://127.0.0.1:9/", [key] = value };
        using var host = await SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b => b.Logging.ClearProviders());
        var error = SyncWorkerHost.ValidateConfiguration(host);
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_AreValid()
    {
        using var host = await SyncWorkerHost.BuildAsync(["--Feed:Url=ws://127.0.0.1:9/"], b => b.Logging.ClearProviders());
        Assert.Null(SyncWorkerHost.ValidateConfiguration(host));
    }

    [Fact]
    public async Task Process_InvalidConfiguration_ExitsNonZeroWithOneLineAndNoStackTrace()
    {
        var (exitCode, error, output) = await WorkerProcess.RunAsync("--Feed:Url=ws://127.0.0.1:9/", "--Sync:Symbols:2=XX1!", "--Logging:LogLevel:Default=Warning");
        Assert.Equal(SyncWorkerHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal("orderflow-sync: invalid configuration: Sync:Symbols[2]: 'XX1!' is not a valid symbol (1 to 20 of A-Z, 0-9, '.', '_', '-').", error);
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFeedUrl_WithoutRedis_DryRunOnTheSyntheticFeed_AndTheFirstLogLineSaysSo()
    {
        var logs = new LogSink();
        using var host = await SyncWorkerHost.BuildAsync(["--Redis:Configuration=", "--Sync:Symbols=GC", "--Sync:HistoryBars:1m=1500"], b =>
        {
            b.Logging.ClearProviders();
            b.Logging.AddProvider(logs);
        });
        await host.StartAsync();
        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("History GC 1m", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the worker syncs from the synthetic feed");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await host.StopAsync(timeout.Token);
        }

        // On failure, show the first lines: what came before the dry-run line, if anything did.
        var first = logs.Lines[0];
        Assert.True(first.StartsWith("Warning OrderFlow.SyncWorker[3001] Dry run: Feed:Url is not set and Redis:Configuration is empty", StringComparison.Ordinal), string.Join('\n', logs.Lines.Take(8)));
        Assert.Contains("the worker runs on the synthetic market", first, StringComparison.Ordinal);
        Assert.Contains("keeps its candles in memory", first, StringComparison.Ordinal);
    }
}
