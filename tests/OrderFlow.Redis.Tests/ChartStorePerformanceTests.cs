using System.Diagnostics;
using OrderFlow.Candles;
using OrderFlow.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderFlow.Redis.Tests;

/// <summary>
/// A quick measurement (not a benchmark) of the 100,000-candle target: serialise and store a chart in ≤ 50 ms. The
/// assertion is loose so a busy CI machine does not fail; the measured figure is written to the test output.
/// </summary>
public sealed class ChartStorePerformanceTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;
    private readonly ITestOutputHelper _output;

    public ChartStorePerformanceTests(RedisServerFixture redis, ITestOutputHelper output)
    {
        _redis = redis;
        _output = output;
    }

    // Prices as the feed delivers them: one-decimal GC quotes, parsed from text (the nearest double to the decimal).
    private static double Price(int tenths, int i, int run) => (tenths + (i % 100) + (run * 10)) / 10.0;

    [Fact]
    public async Task SaveChart_100kCandles_SerialiseAndStore()
    {
        var store = new RedisChartStore(_redis.Connection, new ChartStoreOptions { KeyPrefix = "t:perf:" });
        var charts = Enumerable.Range(0, 12).Select(run => Enumerable.Range(0, 100_000)
            .Select(i => Candle.Create(1704067200 + (i * 60L), Price(20305, i, run), Price(20317, i, run), Price(20299, i, run), Price(20311, i, run), 1000 + i))
            .ToArray()).ToArray();

        foreach (var chart in charts.Take(4))
        {
            Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart)); // warm-up (tiered JIT)
        }

        var times = new List<double>();
        foreach (var chart in charts.Skip(4))
        {
            var sw = Stopwatch.StartNew();
            Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart));
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        var unchanged = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var sw2 = Stopwatch.StartNew();
            Assert.False(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, charts[^1]));
            unchanged = Math.Min(unchanged, sw2.Elapsed.TotalMilliseconds);
        }

        var loaded = await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);
        Assert.Equal(charts[^1], loaded);

        var bytes = (await _redis.Connection.GetDatabase().StringLengthAsync("t:perf:chart:GC:1m:1year"));
        _output.WriteLine($"100,000 candles ({bytes / 1024.0 / 1024.0:F1} MiB JSON): serialise + SET best {times.Min():F1} ms, median {times.Order().ElementAt(times.Count / 2):F1} ms; unchanged (serialise + hash + EXPIRE) best {unchanged:F1} ms");
        Assert.True(times.Min() < 500, $"best of {times.Count} was {times.Min():F1} ms");
    }
}
