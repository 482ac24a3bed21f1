using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Databento;
using OrderFlow.Databento.Tests.Live;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.SyncWorker;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>The worker with <c>Source=databento</c>: its real composition against the fake Databento Live gateway and a real redis-server.</summary>
[Collection(WorkerTests.Name)]
public sealed class DatabentoSourceTests(RedisFixture redis)
{
    private const string Key = "db-SYNCTESTkeyabcdefghijklmnoQ7w9Z";
    private const string WrongKey = "db-WRONGsyncKEYabcdefghijklmnP4x8K";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static Dictionary<string, string?> Settings(int port, string key) => new()
    {
        [SyncWorkerHost.SourceKey] = "databento",
        ["Databento:ApiKey"] = key,
        ["Databento:Gateway"] = "127.0.0.1",
        ["Databento:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Databento:ReconnectMinDelay"] = "00:00:00.050",
        ["Databento:ReconnectMaxDelay"] = "00:00:00.200",
        ["Sync:Symbols"] = "GC",
    };

    /// <summary>The harness's feed server is not used with Source=databento; a silent one keeps the harness as it is.</summary>
    private static ScriptedSource SilentFeed() => new(new SyntheticMarket(new SyntheticMarketOptions { Seed = 7 }), stream: false);

    [Fact]
    public async Task Databento_LiveOhlcv1m_ReachesRedis_AndTheCoarseTimeframesFollow()
    {
        var minute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60 - 60;   // the minute that just closed
        var t0 = (ulong)minute * 1_000_000_000UL;
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(7, "GC.c.0", "GCZ6");
            s.Bar(7, t0, 2_000_250_000_000);
            s.Bar(7, t0 + 60_000_000_000UL, 2_001_500_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, SilentFeed(), Settings(gateway.Port, Key));

        await Eventually.HoldsAsync(
            async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == minute + 60 && c.Close == 2001.5,
            Generous,
            "live:GC:1m:current holds the latest Databento bar");
        Assert.True(await worker.Db.KeyExistsAsync(worker.CurrentKey(Symbol.GC, Timeframe.OneMinute)));
        foreach (var timeframe in Timeframe.All.Where(tf => tf != Timeframe.OneMinute))
        {
            await Eventually.HoldsAsync(
                async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, timeframe) is { } c && c.OpenTime == timeframe.Floor(minute + 60) && c.Close == 2001.5,
                Generous,
                $"live:GC:{timeframe}:current follows the 1m bar");
        }

        var subscription = Assert.Single(gateway.Connections).SubscriptionLines;
        Assert.Contains(subscription, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^schema=ohlcv-1m\|stype_in=continuous\|symbols=GC\.c\.0\|start=\d+\|snapshot=0\|id=1\|is_last=1$"));   // with the BarReplay start
        Assert.Empty(gateway.Faults);
        Assert.Contains(worker.Logs.Lines, l => l.Contains("Databento source: dataset GLBX.MDP3, gateway 127.0.0.1:", StringComparison.Ordinal));
        AssertNoKey(worker.Logs.Lines, Key);
    }

    [Fact]
    public async Task Databento_WrongKey_IsReported_WithoutTheKey()
    {
        await using var gateway = new FakeLiveGateway(Key, _ => Task.CompletedTask);
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, SilentFeed(), Settings(gateway.Port, WrongKey));

        await Eventually.HoldsAsync(
            () => worker.Logs.Lines.Any(l => l.Contains("Authentication failed", StringComparison.OrdinalIgnoreCase)),
            Generous,
            "the authentication failure is logged");
        await worker.StopAsync();
        Assert.Single(gateway.Connections);                 // not retried
        // One rejected key, one event, one line (warning or worse): the Live client's 5005.
        var failures = worker.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 1, string.Join("\n", worker.Logs.Lines));
        Assert.Contains("[5005]", failures[0], StringComparison.Ordinal);
        AssertNoKey(worker.Logs.Lines, WrongKey);
        AssertNoKey(worker.Logs.Lines, Key);
    }

    [Fact]
    public async Task Databento_Historical401_IsOneWarningLinePerFailedRequest_WithoutTheKey()
    {
        // The Live key is accepted, the Historical API refuses it: every history request fails with a 401.
        await using var historical = new RefusingHttpServer(401, "Unauthorized", """{"detail":"Authentication failed."}""");
        await using var gateway = new FakeLiveGateway(Key, _ => Task.CompletedTask);
        var settings = Settings(gateway.Port, Key);
        settings["Databento:Historical:BaseAddress"] = historical.BaseAddress.ToString();
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, SilentFeed(), settings);

        await Eventually.HoldsAsync(() => historical.Requests >= 3, Generous, () => $"a history request per schema Databento has (ohlcv-1m, -1h, -1d); {historical.Requests} so far");
        await Eventually.HoldsAsync(() => Failures(worker).Count >= historical.Requests, Generous, () => $"{historical.Requests} failures logged:\n{string.Join("\n", worker.Logs.Lines)}");
        await worker.StopAsync();

        // One failure, one line: the engine's 3109 names the series and the status; the source's 5030 is Debug.
        var failures = Failures(worker);
        Assert.True(failures.Count == historical.Requests, $"{historical.Requests} requests refused, {failures.Count} lines:\n{string.Join("\n", failures)}");
        Assert.All(failures, l => Assert.Contains("[3109]", l, StringComparison.Ordinal));
        Assert.All(failures, l => Assert.Contains("401", l, StringComparison.Ordinal));
        AssertNoKey(worker.Logs.Lines, Key);
    }

    /// <summary>The warning-or-worse lines about history (the fake gateway's session ends at once: its lines are not these).</summary>
    private static List<string> Failures(WorkerHarness worker) =>
        [.. worker.Logs.Lines.Where(l => (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
            && (l.Contains("history", StringComparison.OrdinalIgnoreCase) || l.Contains("Historical", StringComparison.Ordinal) || l.Contains("401", StringComparison.Ordinal)))];

    [Theory]
    [InlineData(null, "Databento:ApiKey is not set")]
    [InlineData("db-MALFORMED key abcdefghij12345", "Databento:ApiKey db-…12345 is not a Databento API key")]
    public async Task Databento_MissingOrMalformedKey_OneLineNamingTheKey(string? key, string expected)
    {
        var settings = new Dictionary<string, string?> { [SyncWorkerHost.SourceKey] = "databento", ["Databento:ApiKey"] = key, ["Sync:Symbols"] = "GC" };
        var old = Environment.GetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable);
        Environment.SetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable, null);
        try
        {
            var logs = new LogSink();
            using var host = await SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b =>
            {
                b.Logging.ClearProviders();
                b.Logging.AddProvider(logs);
            });
            var error = SyncWorkerHost.ValidateConfiguration(host);
            Assert.NotNull(error);
            Assert.StartsWith(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error);
            Assert.DoesNotContain("MALFORMED", error, StringComparison.Ordinal);
            Assert.DoesNotContain("MALFORMED", string.Join('\n', logs.Lines), StringComparison.Ordinal);
            Assert.DoesNotContain("Feed:Url", error, StringComparison.Ordinal);   // no feed is needed with Source=databento
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable, old);
        }
    }

    [Fact]
    public async Task Databento_ValidKey_NeedsNoFeedUrl()
    {
        var settings = new Dictionary<string, string?> { [SyncWorkerHost.SourceKey] = "databento", ["Databento:ApiKey"] = Key, ["Sync:Symbols"] = "GC" };
        var logs = new LogSink();
        using var host = await SyncWorkerHost.BuildAsync(WorkerHarness.ToArgs(settings), b =>
        {
            b.Logging.ClearProviders();
            b.Logging.AddProvider(logs);
        });
        Assert.Null(SyncWorkerHost.ValidateConfiguration(host));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("synthetic feed", StringComparison.Ordinal));
        AssertNoKey(logs.Lines, Key);
    }

    [Fact]
    public async Task UnknownSource_IsInvalidConfiguration()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SyncWorkerHost.BuildAsync(["--Source=kafka"], b => b.Logging.ClearProviders()));
        Assert.StartsWith("Source 'kafka' is not a source", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_DatabentoWithoutKey_ExitsWithCode2AndOneLine()
    {
        var (exitCode, error, output) = await WorkerProcess.RunAsync("--Source=databento", "--Sync:Symbols=GC", "--Logging:LogLevel:Default=Warning");
        Assert.Equal(SyncWorkerHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal(
            "orderflow-sync: invalid configuration: Databento:ApiKey is not set: set it in configuration or in the DATABENTO_API_KEY environment variable.",
            error);
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
    }

    private static void AssertNoKey(IEnumerable<string> lines, string key)
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            Assert.DoesNotContain(key[3..^5], line, StringComparison.Ordinal);   // not even the key's body
        }
    }
}
