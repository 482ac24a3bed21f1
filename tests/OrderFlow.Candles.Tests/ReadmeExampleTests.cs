using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests;

/// <summary>The package README's example, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void PackageReadmeExample_Works()
    {
        var timeProvider = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));

        var rules = CandleRuleBook.Default.Get(Symbol.GC, Timeframe.OneMinute);   // the seed's 15 / 10 points, 10 h

        // History in (any order, duplicates, ms or s, bad values), normalised chart out.
        RawCandle[] history = [new(1704067260000, 2031.0, 2031.9, 2030.8, 2031.5, 900), new(1704067200000, 2030.5, 2031.2, 2030.1, 2031.0, 15000)];
        NormalizedSeries chart = CandleSeries.Normalize(history, Timeframe.OneMinute, rules, now: timeProvider.GetUtcNow());
        Candle[] hourly = CandleAggregation.Aggregate(chart.Candles, Timeframe.OneMinute, Timeframe.OneHour);

        // Ticks in, live candle out (spikes rejected with a reason, wicks clamped, 500 candles held).
        var live = new LiveCandleSeries(Timeframe.OneMinute, rules);
        CandleRejection verdict = live.ApplyTick(new Tick(eventTimeMs: 1704067321250, price: 2031.6, size: 2));
        Candle current = live.Current;

        Assert.Equal([1704067200L, 1704067260L], chart.Candles.Select(c => c.OpenTime));
        Assert.Equal(2031.0, chart.Candles[1].Open); // continuity: opened at the previous close
        Assert.Equal(Candle.Create(1704067200, 2030.5, 2031.9, 2030.1, 2031.5, 15900), Assert.Single(hourly));
        Assert.Equal(CandleRejection.None, verdict);
        Assert.Equal(Candle.Create(1704067320, 2031.6, 2031.6, 2031.6, 2031.6, 2), current);
    }
}
