using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Book;
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

    [Fact]
    public void PackageReadmeChartBookExample_Works()
    {
        var now = new DateTimeOffset(2024, 1, 2, 0, 0, 30, TimeSpan.Zero);
        var minute = now.ToUnixTimeSeconds() / 60 * 60;
        Candle[] storedChart = [.. Enumerable.Range(1, 600).Select(i => Candle.Create(minute - (60 * i), 2030, 2030.5, 2029.5, 2030, 10)).Reverse()];
        Candle[] storedLiveBuffer = [storedChart[^1]];
        Candle[] history = storedChart[^60..];
        var tick = new Tick((minute * 1000) + 5_000, 2030.2, 3);

        var book = new ChartBook(Timeframe.All.Select(tf => new ChartSpec(tf, CandleRuleBook.Default.Get(Symbol.GC, tf), Depth: 100_000)));
        book.Restore(Timeframe.OneMinute, storedChart, storedLiveBuffer, now);        // what the store held
        book.ApplyHistory(Timeframe.OneMinute, history, now);                          // a history answer (union, newer wins)
        book.ApplyHistory(Timeframe.FourHours, [], now);                               // no 4h history: derived from 1h
        LiveOutcome r = book.ApplyTick(tick, now);                                     // r.Rejection, r.Changed = {1m, 5m, …, 1d}
        ReadOnlySpan<Candle> hours = book.GetChart(Timeframe.OneHour);

        Assert.True(r.Applied);
        Assert.True(r.Changed.Contains(Timeframe.OneMinute));
        Assert.Equal(601, book.GetChart(Timeframe.OneMinute).Length);
        Assert.True(book.IsDerived(Timeframe.FourHours));
        Assert.True(hours.IsEmpty || hours[^1].OpenTime <= now.ToUnixTimeSeconds());
    }
}
