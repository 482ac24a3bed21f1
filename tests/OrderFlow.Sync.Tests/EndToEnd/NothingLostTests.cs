using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Feed.Tests.Client;
using OrderFlow.Sync.Tests.Infrastructure;
using Xunit.Abstractions;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>
/// Issue 13's "nothing lost" tests: the worker's real composition (or process), a loopback feed server and a real
/// redis-server, through restarts, future inputs, outages, slow backfills, SIGTERM and a server that drops every
/// connection. Waits poll a condition with a generous bound and no test asserts a duration: where time matters it is
/// the market's or a fake clock, moved by the test.
/// </summary>
[Collection(WorkerTests.Name)]
public sealed partial class NothingLostTests(RedisFixture redis, ITestOutputHelper output)
{
    /// <summary>The bound on every wait: far above what the worker needs, so that a loaded machine does not fail it.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>A fixed start for fake clocks, so each run sees the same market (it trades around the clock).</summary>
    private static readonly DateTimeOffset Tuesday = new(2026, 3, 3, 14, 0, 0, TimeSpan.Zero);

    private static long Minute(DateTimeOffset time) => Timeframe.OneMinute.Floor(time.ToUnixTimeSeconds());

    private static string Utc(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a worker (GC only) whose clock is the market's: a <see cref="FakeTimeProvider"/> drives the market and the
    /// feed server (nothing trades, and no delayed answer comes, until the test moves it) and the worker reads the
    /// market's time, so it sizes backfills in market minutes as a real worker does in real ones. Returns once every
    /// chart is stored.
    /// </summary>
    private async Task<(WorkerHarness Worker, SyntheticMarket Market, FakeTimeProvider Clock)> StartOnMarketTimeAsync(Dictionary<string, string?> settings)
    {
        var clock = new FakeTimeProvider(Tuesday);
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Symbols = [Symbol.GC] }, clock);
        settings["Sync:Symbols"] = "GC";
        var worker = await WorkerHarness.StartAsync(
            redis.Configuration,
            new ScriptedSource(market, stream: true),
            settings,
            b => b.Services.AddSingleton<TimeProvider>(new MarketTimeProvider(market, speed: 1)),
            serverTime: clock);
        await worker.WaitForAllChartsAsync(Generous, [Symbol.GC]);
        return (worker, market, clock);
    }

    /// <summary>Moves market time on by <paramref name="total"/> in steps, giving the feed a moment to deliver each step's trades.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        for (var done = TimeSpan.Zero; done < total; done += step)
        {
            clock.Advance(step);
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the worker's GC 1m series is at the market's current minute.</summary>
    private static async Task WaitForLiveMinuteAsync(WorkerHarness worker, SyntheticMarket market) =>
        await Eventually.HoldsAsync(
            () => worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute) is { } c && c.OpenTime == Minute(market.Now),
            Generous,
            () => $"the live minute {Utc(Minute(market.Now))}; the worker is at {worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute)}");

    /// <summary>
    /// An outage of <paramref name="length"/> of market time: the server falls silent (what the market does meanwhile
    /// never reaches the worker), then every connection is reset and the server serves again.
    /// </summary>
    private static async Task OutageAsync(WorkerHarness worker, FakeTimeProvider clock, TimeSpan length)
    {
        worker.Server.Faults.Stall();
        clock.Advance(length);

        // Lets the server discard the outage's trades before anyone can connect again. Too short on a slow machine,
        // and a few of them reach the reconnected worker: they only fill part of the hole, which no test relies on.
        await Task.Delay(500);
        worker.Server.Faults.DropConnections();
        worker.Server.Faults.Resume();
    }

    /// <summary>
    /// Waits until the stored GC 1m chart has every minute up to the market's last complete one, each equal (OHLCV) to
    /// the market's own, moving market time on a second per look; fails with the last difference seen. Returns the chart.
    /// </summary>
    private static async Task<Candle[]> WaitForCompleteChartAsync(WorkerHarness worker, SyntheticMarket market, FakeTimeProvider clock)
    {
        var problem = "nothing read yet";
        Candle[] chart = [];
        await Eventually.HoldsAsync(
            async () =>
            {
                chart = await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) ?? [];
                problem = CompareWithMarket(chart, market);
                if (problem.Length == 0)
                {
                    return true;
                }

                // The worker writes its charts on its own (market) clock: a loaded machine may still be applying the
                // last step's events when that clock stops, and what it learns then is written at the next sync. So
                // market time moves on while we wait, as it would in production.
                clock.Advance(TimeSpan.FromSeconds(1));
                return false;
            },
            Generous,
            () => "the stored GC 1m chart to hold every minute of the market: " + problem + "\nThe worker's history and backfill log:\n"
                + string.Join('\n', worker.Logs.Lines.Where(l => l.Contains("GC 1m", StringComparison.Ordinal) || l.Contains("Backfill", StringComparison.Ordinal))),
            pollMs: 200);
        return chart;
    }

    private static string CompareWithMarket(Candle[] chart, SyntheticMarket market)
    {
        var lastComplete = Minute(market.Now) - 60;
        if (chart.Length == 0 || chart[^1].OpenTime < lastComplete)
        {
            return $"the chart ends at {(chart.Length == 0 ? "-" : Utc(chart[^1].OpenTime))}, the market's last complete minute is {Utc(lastComplete)}";
        }

        var missing = ChartGaps.Missing(chart, Timeframe.OneMinute);
        if (missing.Count > 0)
        {
            return ChartGaps.Describe(missing);
        }

        var truth = market.GetHistory(Symbol.GC, Timeframe.OneMinute, chart.Length + 5).ToDictionary(c => c.OpenTime);
        foreach (var c in chart.Where(c => c.OpenTime <= lastComplete))
        {
            if (!truth.TryGetValue(c.OpenTime, out var expected))
            {
                return $"{WorkerHarness.Show(c)} is not in the market's series";
            }

            if (c.Open != expected.Open || c.High != expected.High || c.Low != expected.Low || c.Close != expected.Close || c.Volume != expected.Volume)
            {
                return $"stored {WorkerHarness.Show(c)}, the market's {WorkerHarness.Show(expected)}";
            }
        }

        return string.Empty;
    }
}
