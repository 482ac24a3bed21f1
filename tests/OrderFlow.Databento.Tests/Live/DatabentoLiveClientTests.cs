using System.Text.RegularExpressions;

namespace OrderFlow.Databento.Tests.Live;

public sealed partial class DatabentoLiveClientTests
{
    internal const string Key = "db-TESTKEYabcdefghijklmnopqrsXYZ12";
    private const ulong T0 = 1_700_000_040_000_000_000; // a minute boundary
    private const ulong Minute = 60_000_000_000;

    internal static DatabentoLiveOptions Options(int port, string key = Key)
    {
        var options = new DatabentoLiveOptions
        {
            ApiKey = key,
            Dataset = FakeLiveGateway.Dataset,
            Gateway = "127.0.0.1",
            Port = port,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ClientName = "OrderFlow.Tests 1.0",
            DeadConnectionTimeoutOverride = TimeSpan.FromSeconds(5),
        };
        options.Subscriptions.Add(DatabentoLiveSubscription.Create(DbnSchema.Ohlcv1M, DbnSType.Continuous, "GC.c.0", "SI.c.0"));
        options.Subscriptions.Add(DatabentoLiveSubscription.Create(DbnSchema.Trades, DbnSType.Continuous, "GC.c.0"));
        return options;
    }

    private static async Task<(Task Run, CancellationTokenSource Cts)> StartAsync(DatabentoLiveClient client, RecordingHandler handler)
    {
        handler.Client = client;
        var cts = new CancellationTokenSource();
        var run = Task.Run(() => client.RunAsync(handler, cts.Token));
        await Task.Yield();
        return (run, cts);
    }

    private static async Task StopAsync(Task run, CancellationTokenSource cts)
    {
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        cts.Dispose();
    }

    [GeneratedRegex("^auth=[0-9a-f]{64}-XYZ12\\|dataset=GLBX\\.MDP3\\|encoding=dbn\\|ts_out=0\\|client=OrderFlow\\.Tests 1\\.0$")]
    private static partial Regex AuthLinePattern();

    [Fact]
    public async Task RunAsync_ValidKey_SendsExactLinesAndDecodesRecords()
    {
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Mapping(2, "SI.c.0", "SIZ5");
            s.Bar(1, T0, 2_000_000_000_000);
            s.Bar(2, T0, 25_000_000_000);
            s.Trade(1, T0 + Minute + 5, 2_001_000_000_000, 2, 1);
            s.Bar(1, T0 + Minute, 2_001_000_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        var logger = new TestLogger<DatabentoLiveClient>();
        var client = new DatabentoLiveClient(Options(gateway.Port), logger);
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => handler.Records.Count >= 4, "4 records");
        await StopAsync(run, cts);

        var session = Assert.Single(gateway.Connections);
        Assert.Matches(AuthLinePattern(), session.AuthLine);
        Assert.Equal(
            ["schema=ohlcv-1m|stype_in=continuous|symbols=GC.c.0,SI.c.0|snapshot=0|id=1|is_last=1", "schema=trades|stype_in=continuous|symbols=GC.c.0|snapshot=0|id=2|is_last=1"],
            session.SubscriptionLines);
        Assert.Equal(
            [$"bar 1 {T0} 2000000000000", $"bar 2 {T0} 25000000000", $"trade 1 {T0 + Minute + 5} 1", $"bar 1 {T0 + Minute} 2001000000000"],
            handler.Records);
        Assert.Equal(["GC", "SI", "GC"], handler.Roots);
        Assert.Equal("1000", client.SessionId);
        Assert.Contains(handler.States, s => s.State == DatabentoLiveState.Streaming);
        Assert.Equal(DatabentoLiveState.Stopped, client.State);
        Assert.DoesNotContain(Key, logger.All, StringComparison.Ordinal);
        Assert.Empty(gateway.Faults);
    }

    [Fact]
    public async Task RunAsync_EndOfIntervalSystemMessages_AreLoggedAtDebug()
    {
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Writer.WriteSystem(new RecordHeader(DbnRType.System, 0, 0, 0), "End of interval for ohlcv-1m", 4);
            s.Writer.WriteSystem(new RecordHeader(DbnRType.System, 0, 0, 0), "End of interval for trades", 4);
            s.Bar(1, T0, 2_000_000_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        var logger = new TestLogger<DatabentoLiveClient>();
        var client = new DatabentoLiveClient(Options(gateway.Port), logger);
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => !handler.Records.IsEmpty, "the bar after the system messages");
        await StopAsync(run, cts);

        var system = logger.Lines.Where(l => l.Contains("End of interval", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, system.Count);
        Assert.All(system, l => Assert.StartsWith("Debug 5007 ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WrongKey_ThrowsOnceWithoutRetryAndNeverLogsTheKey()
    {
        const string wrongKey = "db-WRONGkeyabcdefghijklmnopqAB987";
        await using var gateway = new FakeLiveGateway(Key, _ => Task.CompletedTask);
        var logger = new TestLogger<DatabentoLiveClient>();
        var client = new DatabentoLiveClient(Options(gateway.Port, wrongKey), logger);
        var handler = new RecordingHandler { Client = client };

        var e = await Assert.ThrowsAsync<DatabentoAuthenticationException>(() => client.RunAsync(handler).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal("Authentication failed.", e.Detail);
        Assert.Contains("db-…AB987", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, e.Message, StringComparison.Ordinal);
        Assert.Equal(DatabentoLiveState.AuthenticationFailed, client.State);
        Assert.Contains(handler.States, s => s.State == DatabentoLiveState.AuthenticationFailed);
        await Task.Delay(300);
        Assert.Single(gateway.Connections);                       // no retry loop
        Assert.Contains(logger.Lines, l => l.Contains("5005", StringComparison.Ordinal) && l.Contains("db-…AB987", StringComparison.Ordinal));
        Assert.DoesNotContain(wrongKey, logger.All, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, client.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, Options(1, wrongKey).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Heartbeats_KeepTheConnectionAlive()
    {
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            await s.FlushAsync();
            for (var i = 0; i < 16; i++)   // 3.2 s of heartbeats only: longer than the 2.5 s limit
            {
                await Task.Delay(200);
                s.Heartbeat();
                await s.FlushAsync();
            }

            s.Bar(1, T0, 2_000_000_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        var options = Options(gateway.Port);
        options.DeadConnectionTimeoutOverride = TimeSpan.FromMilliseconds(2500);   // generous: a loaded 2-core runner
        var client = new DatabentoLiveClient(options);
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => handler.Bars.Count == 1, "the bar after 3.2 s of heartbeats");
        await StopAsync(run, cts);

        Assert.Single(gateway.Connections);
        Assert.Equal(1, client.Sessions);
        Assert.DoesNotContain(handler.States, s => s.State == DatabentoLiveState.Disconnected);
    }

    [Fact]
    public async Task RunAsync_NoHeartbeat_DeclaresTheConnectionDeadAndReconnects()
    {
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Bar(1, T0 + ((ulong)s.Index * Minute), 2_000_000_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));   // then silence: no heartbeats
        });
        var options = Options(gateway.Port);
        options.DeadConnectionTimeoutOverride = TimeSpan.FromMilliseconds(600);
        var client = new DatabentoLiveClient(options);
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => gateway.Connections.Count >= 2 && handler.Bars.Count >= 2, "a reconnect after the heartbeat limit");
        await StopAsync(run, cts);

        var lost = handler.States.First(s => s.State == DatabentoLiveState.Disconnected);
        Assert.Contains("heartbeat", lost.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(handler.States, s => s.State == DatabentoLiveState.Reconnecting && s.Attempt == 1);
        Assert.Equal(T0, gateway.Connections.ElementAt(1).StartOf("ohlcv-1m"));
    }

    [Fact]
    public async Task RunAsync_DropBeforeAnyRecord_ResumesFromTheFirstSessionsStart()
    {
        var before = DateTimeOffset.UtcNow;
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            if (s.Index == 0)
            {
                await s.FlushAsync();
                s.Close();   // nothing delivered for either schema
                return;
            }

            s.Bar(1, T0, 100_000_000_000);
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        var client = new DatabentoLiveClient(Options(gateway.Port));
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => handler.Bars.Count >= 1, "the bar after the resume");
        await StopAsync(run, cts);

        Assert.Null(gateway.Connections.ElementAt(0).StartOf("ohlcv-1m"));   // the first session is live only
        var resumed = gateway.Connections.ElementAt(1);
        foreach (var schema in new[] { "ohlcv-1m", "trades" })
        {
            var start = resumed.StartOf(schema);
            Assert.NotNull(start);
            var startTime = DateTimeOffset.FromUnixTimeMilliseconds((long)(start!.Value / 1_000_000));
            Assert.InRange(startTime, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task RunAsync_DropMidStream_ResumesFromLastTsEventWithoutDuplicatesOrGaps()
    {
        var t = T0 + (2 * Minute) + 7;   // the trades' shared nanosecond
        await using var gateway = new FakeLiveGateway(Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Mapping(2, "SI.c.0", "SIZ5");
            if (s.Index == 0)
            {
                s.Bar(1, T0, 100_000_000_000);
                s.Bar(2, T0, 200_000_000_000);
                s.Bar(1, T0 + Minute, 101_000_000_000);   // SI's bar of this minute is lost in the drop
                s.Trade(1, t, 101_500_000_000, 1, 10);
                await s.FlushAsync();
                s.Close();                                // drop mid-stream
                return;
            }

            // The replay from the requested starts, as a gateway would send it.
            var barStart = s.StartOf("ohlcv-1m");
            var tradeStart = s.StartOf("trades");
            if (barStart == T0 + Minute)
            {
                s.Bar(1, T0 + Minute, 101_000_000_000);   // duplicate
                s.Bar(2, T0 + Minute, 201_000_000_000);   // missed: same ts_event as the last delivered bar
            }

            if (tradeStart == t)
            {
                s.Trade(1, t, 101_500_000_000, 1, 10);   // duplicate
                s.Trade(1, t, 101_600_000_000, 1, 11);   // missed: same nanosecond
            }

            s.Trade(1, t + 1, 101_700_000_000, 1, 12);
            s.ReplayCompleted("ohlcv-1m");
            s.ReplayCompleted("trades");
            s.Bar(1, T0 + (2 * Minute), 102_000_000_000);   // live again
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        var client = new DatabentoLiveClient(Options(gateway.Port));
        var handler = new RecordingHandler();
        var (run, cts) = await StartAsync(client, handler);

        await Poll.UntilAsync(() => handler.Records.Any(r => r.Contains($"{T0 + (2 * Minute)} ", StringComparison.Ordinal)), "the live bar after the resume");
        await StopAsync(run, cts);

        var resumed = gateway.Connections.ElementAt(1);
        Assert.Equal(T0 + Minute, resumed.StartOf("ohlcv-1m"));   // inclusive: the last delivered ts_event
        Assert.Equal(t, resumed.StartOf("trades"));
        Assert.Equal(
            [
                $"bar 1 {T0} 100000000000", $"bar 2 {T0} 200000000000", $"bar 1 {T0 + Minute} 101000000000", $"trade 1 {t} 10",
                $"bar 2 {T0 + Minute} 201000000000", $"trade 1 {t} 11", $"trade 1 {t + 1} 12", $"bar 1 {T0 + (2 * Minute)} 102000000000",
            ],
            handler.Records);
        Assert.Equal(2, client.DuplicatesDropped);
        var states = handler.States.Select(s => s.State).ToList();
        var replaying = states.IndexOf(DatabentoLiveState.Replaying);
        Assert.True(replaying > states.IndexOf(DatabentoLiveState.Disconnected));
        Assert.Equal(DatabentoLiveState.Streaming, states[replaying + 1]);
        Assert.Empty(gateway.Faults);
    }

    [Fact]
    public void Options_Invalid_ListsEveryProblem()
    {
        var options = new DatabentoLiveOptions { ApiKey = " ", Port = 0, HeartbeatInterval = TimeSpan.FromSeconds(2.5), StableConnectionTime = TimeSpan.Zero };
        var old = Environment.GetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable);
        Environment.SetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable, null);
        try
        {
            var result = new DatabentoLiveOptionsValidator().Validate(null, options);
            Assert.True(result.Failed);
            Assert.Contains("ApiKey is not set", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("Port 0", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("Subscriptions is empty", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("HeartbeatInterval 00:00:02.5000000", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("StableConnectionTime 00:00:00 must be positive", result.FailureMessage, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => new DatabentoLiveClient(options));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable, old);
        }
    }

    [Fact]
    public void Options_DefaultGateway_FollowsTheDataset()
    {
        var options = new DatabentoLiveOptions { Dataset = "GLBX.MDP3" };
        Assert.Equal("glbx-mdp3.lsg.databento.com", options.GetGatewayHost());
        Assert.Equal(13000, options.Port);
    }

    [Fact]
    public void ComputeAuth_IsSha256HexOfCramPipeKey_DashBucketId()
    {
        var auth = LiveProtocol.ComputeAuth("abc", Key);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("abc|" + Key))) + "-XYZ12";
        Assert.Equal(expected, auth);
    }

    [Fact]
    public void SubscriptionLines_ManySymbols_SplitInto500WithIsLastOnTheFinalLine()
    {
        var s = DatabentoLiveSubscription.Create(DbnSchema.Trades, DbnSType.RawSymbol, Enumerable.Range(0, 1001).Select(i => "S" + i).ToArray());
        var lines = LiveProtocol.SubscriptionLines([s], [123UL]);
        Assert.Equal(3, lines.Count);
        Assert.EndsWith("|start=123|snapshot=0|id=1|is_last=0\n", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("|symbols=S1000|start=123|snapshot=0|id=1|is_last=1\n", lines[2], StringComparison.Ordinal);
    }
}
