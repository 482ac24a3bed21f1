using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <content>Outages and slow backfills leave no missing minute, or a reported gap where the server lacks the minutes.</content>
public sealed partial class NothingLostTests
{
    private const string HistoryAnswers = "orderflow.sync.messages|type=history";

    /// <summary>Live data before the outage; it ends mid-minute, so the market's current minute has trades.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(210);

    [Fact]
    public async Task FeedDropLongerThanTheDepth_LeavesNoMissingMinute_AndReportsTheGap()
    {
        // The 1m subscription may ask for 30 bars; the outage lasts 45 market minutes. Its chart keeps 30 bars too, the
        // newest, so the backfill's 30 are all it needs: the hole falls out of the chart.
        var (worker, market, clock) = await StartOnMarketTimeAsync(new() { ["Sync:HistoryBars:1m"] = "30" });
        await using var _ = worker;
        await AdvanceAsync(clock, WarmUp, TimeSpan.FromSeconds(10));
        await WaitForLiveMinuteAsync(worker, market);
        var answers = worker.Metrics[HistoryAnswers];

        await OutageAsync(worker, clock, TimeSpan.FromMinutes(45));

        // The client could not prove the 1m backfill covers the outage (the depth ran out): a counted gap, and the
        // series asked again at once (the scheduled re-sync is an hour away).
        await Eventually.HoldsAsync(() => worker.Logs.Lines.Any(l => l.Contains("Feed live gap: GC 1m:", StringComparison.Ordinal)), Generous, "the GC 1m live gap logged");
        await Eventually.HoldsAsync(() => worker.Metrics[HistoryAnswers] >= answers + 7, Generous, () => $"the backfill of the six series and an early re-sync of GC 1m (7 answers); {worker.Metrics[HistoryAnswers] - answers} so far");
        Assert.Equal(1, worker.Metrics["orderflow.feed.backfill.gaps|timeframe=1m"]);
        Assert.Equal(1, worker.Metrics["orderflow.feed.backfill.gaps"]);

        await AdvanceAsync(clock, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        var chart = await WaitForCompleteChartAsync(worker, market, clock);
        Assert.Equal(30, chart.Length);
        await AssertNoMissingBucketAsync(worker);
        output.WriteLine($"1m chart {Utc(chart[0].OpenTime)} … {Utc(chart[^1].OpenTime)}, every minute equal to the market's; {worker.Metrics["orderflow.sync.backfilled"]} candles backfilled");
    }

    [Fact]
    public async Task FeedDropOverMinutesTheServerLacks_IsReportedAsAGap_AndResyncedEarly()
    {
        var (worker, market, clock) = await StartOnMarketTimeAsync(new() { ["Sync:HistoryBars:1m"] = "300" });
        await using var _ = worker;
        await AdvanceAsync(clock, WarmUp, TimeSpan.FromSeconds(10));
        await WaitForLiveMinuteAsync(worker, market);
        var answers = worker.Metrics[HistoryAnswers];

        // The last minute the worker saw, then 20 minutes of outage of which the server keeps only the last ten.
        var seen = worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute)!.Value.OpenTime;
        var kept = seen + 600;
        worker.Server.Faults.TrimHistoryBefore(DateTimeOffset.FromUnixTimeSeconds(kept));
        await OutageAsync(worker, clock, TimeSpan.FromMinutes(20));

        // Reported with the range the server lacks, counted, and the series asked again at once.
        var gap = $"GC 1m: the backfill after the reconnect cannot cover the outage: 10 bar(s) from {Utc(seen)} to {Utc(kept)} (end exclusive) are missing";
        await Eventually.HoldsAsync(() => worker.Logs.Lines.Any(l => l.Contains("Feed live gap: " + gap, StringComparison.Ordinal)), Generous, () => "the gap logged: " + gap + "\n" + string.Join('\n', worker.Logs.Lines.Where(l => l.Contains("gap", StringComparison.OrdinalIgnoreCase))));
        Assert.Equal(1, worker.Metrics["orderflow.feed.backfill.gaps|timeframe=1m"]);
        await Eventually.HoldsAsync(() => worker.Metrics[HistoryAnswers] >= answers + 7, Generous, () => $"the backfill of the six series and an early re-sync of GC 1m (7 answers); {worker.Metrics[HistoryAnswers] - answers} so far");

        // The stored chart lacks only minutes of the reported range (the server has none of them), and nothing after it.
        await AdvanceAsync(clock, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        var lastComplete = Minute(market.Now) - 60;
        Candle[] chart = [];
        await Eventually.HoldsAsync(
            async () => (chart = await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute) ?? [])[^1].OpenTime >= lastComplete,
            Generous,
            () => $"the stored chart at {Utc(lastComplete)}, it ends at {(chart.Length > 0 ? Utc(chart[^1].OpenTime) : "-")}");
        var missing = ChartGaps.Missing(chart, Timeframe.OneMinute);
        output.WriteLine($"reported: {gap}; stored chart: {ChartGaps.Describe(missing)}");
        Assert.NotEmpty(missing);
        Assert.All(missing, t => Assert.InRange(t, seen + 60, kept - 60));
    }

    [Fact]
    public async Task OneOutageReportedAsGapsInEverySeries_IsResyncedOnce_NotOncePerGap()
    {
        var (worker, market, clock) = await StartOnMarketTimeAsync(new());
        await using var _ = worker;
        await AdvanceAsync(clock, WarmUp, TimeSpan.FromSeconds(10));
        await WaitForLiveMinuteAsync(worker, market);
        var answers = worker.Metrics[HistoryAnswers];

        // The server lacks the first half of a 20-minute outage in every timeframe: all six backfills are gaps.
        var seen = worker.Engine.GetLiveCurrent(Symbol.GC, Timeframe.OneMinute)!.Value.OpenTime;
        worker.Server.Faults.TrimHistoryBefore(DateTimeOffset.FromUnixTimeSeconds(seen + 600));
        await OutageAsync(worker, clock, TimeSpan.FromMinutes(20));
        await Eventually.HoldsAsync(() => worker.Metrics["orderflow.feed.backfill.gaps"] >= 6, Generous, "six gaps reported");
        await Eventually.HoldsAsync(() => worker.Metrics[HistoryAnswers] >= answers + 12, Generous, "the backfill and an early re-sync");

        // Re-syncs are asked for at once: by the time market time has moved on and the chart has caught up, they are in.
        await AdvanceAsync(clock, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        await WaitForLiveMinuteAsync(worker, market);
        await Eventually.HoldsAsync(async () => (await worker.Reader.LoadChartAsync(Symbol.GC, Timeframe.OneMinute))![^1].OpenTime == Minute(market.Now), Generous, "the stored chart at the live minute");

        // The six backfill answers and one re-sync round; two rounds allowed, for gaps that come in while one runs.
        Assert.InRange(worker.Metrics[HistoryAnswers] - answers, 12, 18);
    }

    [Fact]
    public async Task SlowBackfill_AnsweredAsOfLater_LeavesNoMissingMinute()
    {
        var (worker, market, clock, advanced) = await RunSlowBackfillAsync();
        await using var _ = worker;
        var chart = await WaitForCompleteChartAsync(worker, market, clock);
        output.WriteLine($"backfilled after {advanced} of market time, {worker.Metrics["orderflow.feed.backfill.retries"]} re-asks; 1m chart {Utc(chart[0].OpenTime)} … {Utc(chart[^1].OpenTime)} ({chart.Length} minutes) equal to the market's");
    }

    [Fact]
    public async Task SlowBackfill_AnsweredAsOfLater_LeavesNoMissingBucketInAnyTimeframe()
    {
        var (worker, market, clock, _) = await RunSlowBackfillAsync();
        await using var __ = worker;
        await WaitForCompleteChartAsync(worker, market, clock);
        await AssertNoMissingBucketAsync(worker);
    }

    /// <summary>
    /// An outage of ten market minutes, then every history answer five market minutes after its request, "as of" then,
    /// with a connection's requests waiting behind each other: the first 1m backfill, sized for the outage as the
    /// client saw it, starts too late and is asked again. Market time moves on, live data with it, until every series
    /// has its backfill, then two more minutes. Returns the worker (to dispose), the market clock and how much market time the backfill took.
    /// </summary>
    private async Task<(WorkerHarness Worker, SyntheticMarket Market, FakeTimeProvider Clock, TimeSpan Advanced)> RunSlowBackfillAsync()
    {
        var (worker, market, clock) = await StartOnMarketTimeAsync(new());
        try
        {
            await AdvanceAsync(clock, WarmUp, TimeSpan.FromSeconds(10));
            await WaitForLiveMinuteAsync(worker, market);
            worker.Server.Faults.DelayHistory(TimeSpan.FromMinutes(5));
            await OutageAsync(worker, clock, TimeSpan.FromMinutes(10));

            var advanced = TimeSpan.Zero;
            await Eventually.HoldsAsync(
                async () =>
                {
                    if (worker.Engine.Status is { Reconnects: >= 1, AwaitingBackfill: 0, FeedState: SourceConnectionState.Backfilled })
                    {
                        return true;
                    }

                    Assert.True(advanced < TimeSpan.FromHours(6), "no backfill after six hours of market time");
                    clock.Advance(TimeSpan.FromSeconds(30));
                    advanced += TimeSpan.FromSeconds(30);
                    await Task.Delay(20);
                    return false;
                },
                Generous,
                () => $"the backfill after {advanced} of market time ({worker.Engine.Status.AwaitingBackfill} series waiting)");
            worker.Server.Faults.DelayHistory(null);

            // Backfilled, not let through by the backfill timeout; the short 1m answer asked again, never reported as a gap.
            Assert.Contains(worker.Logs.Lines, l => l.Contains("Backfill complete: live merging resumed", StringComparison.Ordinal));
            Assert.DoesNotContain(worker.Logs.Lines, l => l.Contains("No backfill answer within", StringComparison.Ordinal));
            Assert.True(worker.Metrics["orderflow.feed.backfill.retries"] >= 1, "the short answer was not asked again");
            Assert.Equal(0, worker.Metrics["orderflow.feed.backfill.gaps"]);

            await AdvanceAsync(clock, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
            return (worker, market, clock, advanced);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every stored GC chart has a candle for every interval between its first and last (the market never closes).</summary>
    private static async Task AssertNoMissingBucketAsync(WorkerHarness worker)
    {
        var problems = new List<string>();
        foreach (var timeframe in Timeframe.All)
        {
            var chart = (await worker.Reader.LoadChartAsync(Symbol.GC, timeframe))!;
            if (ChartGaps.Missing(chart, timeframe) is { Count: > 0 } missing)
            {
                problems.Add($"GC {timeframe}: {ChartGaps.Describe(missing)}");
            }

            CandleAssert.Invariants(chart, timeframe, $"GC {timeframe}");
        }

        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }
}
