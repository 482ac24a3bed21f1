using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>The issue's end-to-end tests: the worker's real composition, a loopback feed server, a real redis-server.</summary>
[Collection(WorkerTests.Name)]
public sealed class WorkerEndToEndTests(RedisFixture redis, ITestOutputHelper output)
{
    // A bound for waits on a machine that may be loaded far past its cores (a load average of 40 was seen with
    // parallel builds): waits poll, so the bound costs nothing when the machine is quick.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Startup_AllThirtyChartKeys_ExistWithTtlAndCandleInvariants()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: true));

        var took = await Eventually.HoldsAsync(async () => await worker.CountChartKeysAsync() == 30, Generous, "30 chart keys");
        output.WriteLine($"all 30 chart keys after {took.TotalMilliseconds:0} ms");
        foreach (var (symbol, timeframe) in worker.AllSeries())
        {
            var ttl = await worker.Db.KeyTimeToLiveAsync(worker.ChartKey(symbol, timeframe));
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromHours(24), $"{symbol} {timeframe} TTL {ttl}");
            var chart = await worker.Reader.LoadChartAsync(symbol, timeframe);
            Assert.NotNull(chart);
            Assert.NotEmpty(chart);
            CandleAssert.Invariants(chart, timeframe, $"{symbol} {timeframe}");
        }
    }

    [Fact]
    public async Task LiveCandle_ReachesCurrentWithinOneSecond_AndCoarseChartsWithinOneChartSync()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });

        // The candles below open up to five minutes past the history's end, which is now: allowed explicitly.
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false), new Dictionary<string, string?> { ["Sync:FutureTolerance"] = "00:10:00" });
        await worker.WaitForAllChartsAsync(Generous);

        var last = worker.Engine.GetChart(Symbol.GC, Timeframe.OneMinute)[^1];
        var latencies = new List<double>();
        Candle published = default;
        for (var i = 1; i <= 5; i++)
        {
            if (i > 1)
            {
                // One candle per live-write interval, as the seed's feed sends them: each finds its series due
                // (sooner, it would be coalesced into the write at the end of the interval).
                await Task.Delay(worker.Engine.Options.LiveWriteInterval);
            }

            var close = last.Close + (0.1 * i);
            published = Candle.Create(last.OpenTime + (60 * i), close - 0.1, close + 0.3, close - 0.4, close, 10 * i);
            var watch = Stopwatch.StartNew();
            worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, published));
            var expected = published;
            var took = await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == expected.OpenTime && c.Close == expected.Close, TimeSpan.FromSeconds(10), "live current", pollMs: 2);
            latencies.Add(took.TotalMilliseconds);
        }

        latencies.Sort();
        output.WriteLine($"live → live:GC:1m:current latencies (ms): {string.Join(", ", latencies.Select(l => l.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(latencies[2] < 1000, $"median live latency {latencies[2]:0} ms ≥ 1 s");

        // The 5m and 1h charts carry the aggregated candle within one chart-sync interval (1 s here, + slack).
        foreach (var timeframe in new[] { Timeframe.FiveMinutes, Timeframe.OneHour })
        {
            var bucket = timeframe.Floor(published.OpenTime);
            var took = await Eventually.HoldsAsync(async () =>
                await worker.Reader.LoadChartAsync(Symbol.GC, timeframe) is { } chart
                && chart.Any(c => c.OpenTime == bucket && c.Close == published.Close && c.High >= published.High), TimeSpan.FromSeconds(5), $"GC {timeframe} chart has the live candle");
            output.WriteLine($"GC {timeframe} chart updated after {took.TotalMilliseconds:0} ms");
            var current = await worker.Reader.LoadCurrentAsync(Symbol.GC, timeframe);
            Assert.Equal(bucket, current?.OpenTime);
            Assert.Equal(published.Close, current?.Close);
        }
    }

    [Fact]
    public async Task Spike_IsRejectedAndCounted_AndNeverStored()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false));
        await worker.WaitForAllChartsAsync(Generous);

        var last = worker.Engine.GetChart(Symbol.GC, Timeframe.OneMinute)[^1];
        var spike = Candle.Create(last.OpenTime + 60, last.Close, last.Close + 500, last.Close, last.Close + 500, 5);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, spike));
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.sync.rejected|reason=spike"] >= 1, Generous, "spike counted");

        // A normal candle after it goes through, and the spike is nowhere.
        var normal = Candle.Create(last.OpenTime + 60, last.Close, last.Close + 0.5, last.Close - 0.2, last.Close + 0.3, 7);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, normal));
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute) is { } c && c.Close == normal.Close, Generous, "normal candle stored");
        Assert.Equal(1, worker.Engine.Status.Rejected);
        var buffer = await worker.Reader.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute);
        Assert.DoesNotContain(buffer!, c => c.High >= last.Close + 400);
    }

    [Fact]
    public async Task MalformedFrames_AreSurvivedAndCounted()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false));
        await worker.WaitForAllChartsAsync(Generous);

        var kinds = Enum.GetValues<MalformedFrameKind>();
        foreach (var kind in kinds)
        {
            worker.Server.Faults.SendMalformed(kind);
        }

        var last = worker.Engine.GetChart(Symbol.SI, Timeframe.OneMinute)[^1];
        var after = Candle.Create(last.OpenTime + 60, last.Close, last.Close + 0.01, last.Close - 0.01, last.Close + 0.005, 3);
        worker.Server.Publish(MarketDataEvent.ForCandle(Symbol.SI, Timeframe.OneMinute, after));
        await Eventually.HoldsAsync(async () => await worker.Reader.LoadCurrentAsync(Symbol.SI, Timeframe.OneMinute) is { } c && c.OpenTime == after.OpenTime, Generous, "a candle after the bad frames");
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.feed.rejected"] >= kinds.Length, Generous, "every bad frame counted");
        Assert.Equal(0, worker.Engine.Status.Reconnects);
        output.WriteLine($"{worker.Metrics["orderflow.feed.rejected"]} bad frames counted, {kinds.Length} sent");
    }

    [Fact]
    public async Task FeedDrop_IsBackfilled_WithNoMissingMinute()
    {
        const double speed = 120;
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Speed = speed, Symbols = [Symbol.GC, Symbol.ES] });
        var source = new ScriptedSource(market, stream: true);
        OrderFlow.Feed.Client.FeedClient? client = null;
        await using var worker = await WorkerHarness.StartAsync(
            redis.Configuration,
            source,
            // The market runs 120× faster than the engine's clock: within seconds its minutes are "in the future" for
            // the engine, which would reject them. This test is about the backfill, so the limit is set out of the way.
            new Dictionary<string, string?> { ["Sync:Symbols"] = "GC,ES", ["Sync:HistoryBars:1m"] = "300", ["Sync:FutureTolerance"] = "7.00:00:00" },
            builder =>
            {
                // The client runs on market time, so it sizes the backfill in market minutes as a real client does in real ones.
                // At 120× a second of server latency is two market minutes, so the margin covers 15 s of latency on a loaded
                // machine (a real client's 2-bar margin covers two real minutes).
                var url = new Uri(builder.Configuration["Feed:Url"]!);
                client = new OrderFlow.Feed.Client.FeedClient(
                    new OrderFlow.Feed.Client.FeedClientOptions { Url = url, BackfillMarginBars = 30, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200), PingInterval = TimeSpan.FromMinutes(10), IdleTimeout = TimeSpan.FromHours(1) },
                    timeProvider: new OrderFlow.Feed.Tests.Client.MarketTimeProvider(market, speed));
                builder.Services.AddSingleton<OrderFlow.MarketData.IMarketDataSource>(client);
            });
        try
        {
            var symbols = new[] { Symbol.GC, Symbol.ES };
            await worker.WaitForAllChartsAsync(Generous, symbols);
            await Eventually.HoldsAsync(() => worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute) is not null && worker.Engine.Status.LastMessageAt is not null, Generous, "live data flowing");

            // An outage of ~10 market minutes: live events produced meanwhile are lost for good.
            worker.Server.Faults.Stall();
            await Task.Delay(TimeSpan.FromSeconds(5));
            worker.Server.Faults.DropConnections();
            worker.Server.Faults.Resume();
            await Eventually.HoldsAsync(() => worker.Engine.Status is { Reconnects: >= 1, AwaitingBackfill: 0 }, Generous, () => $"reconnected and backfilled: {worker.Engine.Status}\n{FeedLog(worker, Symbol.GC)}");
            Assert.True(worker.Metrics["orderflow.sync.backfilled"] > 0, "backfilled candles counted");

            // Compare with the server's own series once the worker has caught up: on a loaded machine it may still be
            // applying the stream (at 120x a second of lag is two market minutes), so the comparison is polled.
            foreach (var symbol in symbols)
            {
                var compared = 0;
                await Eventually.HoldsAsync(
                    () =>
                    {
                        var problem = CompareWithServer(worker.Engine.GetChart(symbol, Timeframe.OneMinute), market, symbol, out compared);
                        return problem is null;
                    },
                    Generous,
                    () => (CompareWithServer(worker.Engine.GetChart(symbol, Timeframe.OneMinute), market, symbol, out _) ?? "(it holds now)")
                        + "\n" + FeedLog(worker, symbol));
                output.WriteLine($"{symbol}: {compared} minutes equal to the server's series, none missing; {worker.Metrics["orderflow.sync.backfilled"]} candles backfilled");
            }
        }
        finally
        {
            await worker.StopAsync();
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The worker's feed, backfill and 1m history log lines of one symbol, for a failure message.</summary>
    private static string FeedLog(WorkerHarness worker, Symbol symbol) =>
        "The worker's feed and backfill log:\n" + string.Join('\n', worker.Logs.Lines.Where(l => !l.Contains("Sync status", StringComparison.Ordinal)
            && (l.Contains("Feed", StringComparison.Ordinal) || l.Contains("ackfill", StringComparison.Ordinal) || l.Contains($"{symbol} 1m", StringComparison.Ordinal))));

    /// <summary>
    /// The first difference between the worker's 1m chart and the server's series, up to two minutes before the
    /// chart's newest (a missing minute or a different close, high or low), or <see langword="null"/> when none.
    /// </summary>
    private static string? CompareWithServer(ReadOnlySpan<Candle> chart, SyntheticMarket market, Symbol symbol, out int compared)
    {
        compared = 0;
        if (chart.Length == 0)
        {
            return $"{symbol}: the chart is empty";
        }

        var truth = market.GetHistory(symbol, Timeframe.OneMinute, 2000).ToDictionary(c => c.OpenTime);
        var lastComplete = chart[^1].OpenTime - 120;
        var expectedTime = chart[0].OpenTime;
        foreach (var c in chart)
        {
            if (c.OpenTime > lastComplete)
            {
                break;
            }

            if (c.OpenTime != expectedTime)
            {
                return $"{symbol}: minutes missing from {DateTimeOffset.FromUnixTimeSeconds(expectedTime)} to {DateTimeOffset.FromUnixTimeSeconds(c.OpenTime)}";
            }

            if (!truth.TryGetValue(c.OpenTime, out var expected))
            {
                return $"{symbol}: {WorkerHarness.Show(c)} not in the server's series";
            }

            if (expected.Close != c.Close || expected.High != c.High || expected.Low != c.Low)
            {
                return $"{symbol}: {WorkerHarness.Show(c)}, the server's {WorkerHarness.Show(expected)}";
            }

            expectedTime += 60;
            compared++;
        }

        return null;
    }

    [Fact]
    public async Task Shutdown_LosesNoAcknowledgedWrite()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 30 });
        // A 30× market runs ahead of the engine's clock: the future limit is set out of the way so live data keeps flowing.
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: true), new Dictionary<string, string?> { ["Sync:ChartSyncInterval"] = "00:00:30", ["Sync:FutureTolerance"] = "1.00:00:00" });
        await worker.WaitForAllChartsAsync(Generous);
        await Task.Delay(TimeSpan.FromSeconds(2));

        // SIGTERM: the host stops; the engine stops reading, then flushes live writes and changed charts.
        await worker.StopAsync();
        foreach (var (symbol, timeframe) in worker.AllSeries())
        {
            var held = worker.Engine.GetChart(symbol, timeframe);
            var stored = await worker.Reader.LoadChartAsync(symbol, timeframe);
            Assert.True(stored is not null && stored.SequenceEqual(held), $"{symbol} {timeframe}: stored chart differs from the engine's ({stored?.Length} vs {held.Length}; last {(stored is { Length: > 0 } ? WorkerHarness.Show(stored[^1]) : "-")} vs {WorkerHarness.Show(held[^1])})");
            if (worker.Engine.GetLiveCurrent(symbol, timeframe) is { } current && timeframe == Timeframe.OneMinute)
            {
                Assert.Equal(current, await worker.Reader.LoadCurrentAsync(symbol, timeframe));
            }
        }

        Assert.Contains(worker.Logs.Lines, l => l.Contains("Sync engine stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingHistory_IsAggregatedFromTheNearestFinerTimeframe_AsAPlainResample()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true });
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false, Timeframe.OneHour, Timeframe.FourHours));
        await worker.WaitForAllChartsAsync(Generous);

        foreach (var symbol in Symbol.Defaults)
        {
            // 1h from 15m (here 50 hours of it, where 1m covers 25), then 4h from the derived 1h.
            var oneMinute = await worker.Reader.LoadChartAsync(symbol, Timeframe.OneMinute);
            foreach (var (source, timeframe) in new[] { (Timeframe.FifteenMinutes, Timeframe.OneHour), (Timeframe.OneHour, Timeframe.FourHours) })
            {
                var fine = await worker.Reader.LoadChartAsync(symbol, source);
                var derived = await worker.Reader.LoadChartAsync(symbol, timeframe);
                var expected = CandleAssert.NaiveResample(fine!, timeframe);
                Assert.Equal(expected, derived);
                Assert.True(derived![0].OpenTime < oneMinute![0].OpenTime, $"{symbol} {timeframe} starts at {derived[0].OpenTime}, no earlier than 1m");
            }
        }

        Assert.Contains(worker.Logs.Lines, l => l.Contains("the feed returned none; built", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultDepths_OneSymbol_StoresTheSeedDepths()
    {
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] });
        var defaults = Timeframe.All.ToDictionary(tf => $"Sync:HistoryBars:{tf}", tf => (string?)OrderFlow.Feed.Protocol.FeedProtocol.DefaultHistoryBars(tf).ToString(System.Globalization.CultureInfo.InvariantCulture));
        defaults["Sync:Symbols"] = "GC";
        defaults["Sync:ChartSyncInterval"] = "00:00:30";
        var watch = Stopwatch.StartNew();
        await using var worker = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: true), defaults);
        await worker.WaitForAllChartsAsync(TimeSpan.FromSeconds(60), [Symbol.GC]);
        output.WriteLine($"GC at the seed depths stored after {watch.Elapsed.TotalSeconds:0.0} s");

        var oneMinute = await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);
        Assert.InRange(oneMinute!.Length, 99_000, 100_100);
        foreach (var timeframe in Timeframe.All)
        {
            var chart = await worker.Reader.LoadChartAsync(Symbol.GC, timeframe);
            CandleAssert.Invariants(chart!, timeframe, $"GC {timeframe}");
            var span = TimeSpan.FromSeconds(chart![^1].OpenTime - chart[0].OpenTime);
            Assert.True(span <= TimeSpan.FromDays(366), $"GC {timeframe} spans {span}");
            output.WriteLine($"GC {timeframe}: {chart.Length} candles over {span.TotalDays:0.0} days");
        }
    }
}
