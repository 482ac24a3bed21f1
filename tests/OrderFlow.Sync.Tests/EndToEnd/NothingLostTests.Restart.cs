using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.Tests.Infrastructure;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Sync.Tests.EndToEnd;

/// <content>A restart against a feed that answers thinly keeps the stored year.</content>
public sealed partial class NothingLostTests
{
    [Fact]
    public async Task Restart_AgainstAThinFeed_KeepsEveryStoredBar_AndOnlyAddsNewerOnes()
    {
        // The market's history (a day) is shorter than every depth, so the depth cap pushes nothing out when the second
        // worker adds newer bars: every bar the first one stored must still be there. The market's clock is a fake one,
        // two hours behind this machine's (the worker's), so nothing it serves is in the future.
        var clock = new FakeTimeProvider(Tuesday);
        var origin = DateTimeOffset.FromUnixTimeSeconds(Minute(DateTimeOffset.UtcNow.AddHours(-2)));
        var market = new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Origin = origin, HistoryDepth = TimeSpan.FromDays(1) }, clock);

        var before = new Dictionary<(Symbol, Timeframe), Candle[]>();
        string prefix;
        await using (var first = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false)))
        {
            await first.WaitForAllChartsAsync(Generous);
            await first.StopAsync();
            prefix = first.Prefix;
            foreach (var (symbol, timeframe) in first.AllSeries())
            {
                before[(symbol, timeframe)] = (await first.Reader.LoadChartAsync(symbol, timeframe))!;
            }
        }

        // Five minutes later the feed has only its last hour.
        clock.Advance(TimeSpan.FromMinutes(5));
        var thinFrom = DateTimeOffset.FromUnixTimeSeconds(Minute(market.Now.AddHours(-1)));
        await using var second = await WorkerHarness.StartAsync(redis.Configuration, new ScriptedSource(market, stream: false), start: false, prefix: prefix);
        second.Server.Faults.TrimHistoryBefore(thinFrom);

        // Every chart the store holds, from before the second worker starts until its first chart sync is done, must
        // hold every bar the first one stored: a chart written from the thin answer alone would show here.
        var lost = new ConcurrentQueue<string>();
        using var stopSampling = new CancellationTokenSource();
        var samples = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                foreach (var ((symbol, timeframe), had) in before)
                {
                    var stored = await second.Reader.LoadChartAsync(symbol, timeframe) ?? [];
                    if (Lost(had, stored) is { Count: > 0 } gone)
                    {
                        lost.Enqueue($"{symbol} {timeframe}: {ChartGaps.Describe(gone)} (sample {samples})");
                    }
                }

                samples++;
            }
        });

        await second.StartHostAsync();
        await Eventually.HoldsAsync(() => second.Metrics["orderflow.sync.messages|type=history"] >= 30, Generous, "the thin feed's 30 history answers");
        await Eventually.HoldsAsync(
            async () =>
            {
                foreach (var (symbol, timeframe) in second.AllSeries())
                {
                    if (await second.Reader.LoadChartAsync(symbol, timeframe) is not { } stored || !stored.SequenceEqual(second.Engine.GetChart(symbol, timeframe)))
                    {
                        return false;
                    }
                }

                return true;
            },
            Generous,
            "every stored chart equal to the second worker's (its first chart sync after the thin answers)");
        await stopSampling.CancelAsync();
        await sampler;

        var thin = Regex.Match(string.Join('\n', second.Logs.Lines), @"History GC 1m: (\d+) received");
        output.WriteLine($"thin 1m answer: {thin.Groups[1].Value} bars from {thinFrom:u}; stored before: {before[(Symbol.GC, Timeframe.OneMinute)].Length}; {samples} samples of all 30 charts taken during the restart");
        Assert.True(thin.Success && int.Parse(thin.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 61, $"the 1m answer was not thin: {thin.Value}");
        Assert.True(lost.IsEmpty, "charts in the store lost bars during the restart:\n" + string.Join('\n', lost.Take(10)));

        foreach (var ((symbol, timeframe), had) in before)
        {
            var after = (await second.Reader.LoadChartAsync(symbol, timeframe))!;
            var series = $"{symbol} {timeframe}";
            Assert.True(Lost(had, after).Count == 0, $"{series}: {ChartGaps.Describe(Lost(had, after))} of the {had.Length} bars it had");
            var added = after.Select(c => c.OpenTime).Except(had.Select(c => c.OpenTime)).ToArray();
            Assert.True(added.All(t => t > had[^1].OpenTime), $"{series}: bars added before its newest: {string.Join(", ", added.Where(t => t <= had[^1].OpenTime).Select(Utc))}");

            // What the thin answer does not reach is exactly as it was, OHLCV and flow.
            var untouched = had.Where(c => timeframe.Floor(thinFrom.ToUnixTimeSeconds()) > c.OpenTime).ToArray();
            var kept = after.Where(c => timeframe.Floor(thinFrom.ToUnixTimeSeconds()) > c.OpenTime).ToArray();
            Assert.True(untouched.SequenceEqual(kept), $"{series}: bars older than the thin answer changed, first {FirstDifference(untouched, kept)}");
            CandleAssert.Invariants(after, timeframe, series);
        }
    }

    /// <summary>The open times <paramref name="had"/> holds and <paramref name="now"/> does not.</summary>
    private static List<long> Lost(Candle[] had, Candle[] now)
    {
        var held = now.Select(c => c.OpenTime).ToHashSet();
        return had.Select(c => c.OpenTime).Where(t => !held.Contains(t)).ToList();
    }

    private static string FirstDifference(Candle[] expected, Candle[] actual)
    {
        for (var i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (expected[i] != actual[i])
            {
                return $"{expected[i]} became {actual[i]}";
            }
        }

        return $"{expected.Length} bars became {actual.Length}";
    }
}
