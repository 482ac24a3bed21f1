using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Benchmarks.Candles;

/// <summary>
/// Ticks into a symbol's six timeframes: <see cref="ChartBook.ApplyTick"/> (the live 1m candle, its chart, and the
/// 5m, 15m, 1h, 4h and 1d candles of the same bucket, all kept current on every tick) against the plain way to keep
/// six charts current: the live series, then each coarse candle re-aggregated from the 1m chart's candles of its
/// bucket.
/// </summary>
/// <remarks>
/// <b>What it answers:</b> the sync engine's per-tick cost (the book is all of its candle maths), and that it stays
/// 0 B per tick. Each invocation starts a new book from a day of 1m history with the coarse charts derived (about
/// 20 µs, under 1 % of the invocation) and replays the same 100,000 ticks (101 minute crossings). Per tick.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class ChartBookBenchmarks
{
    private const int TicksPerInvoke = 100_000;

    private Tick[] _ticks = [];
    private Candle[] _history = [];
    private ChartSpec[] _specs = [];
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _ticks = BenchmarkData.Ticks(TicksPerInvoke, out var seed, out _);
        var day = BenchmarkData.AscendingMinutes(1440);
        var shift = seed.OpenTime - day[^1].OpenTime;
        _history = [.. day[..^1].Select(c => c.WithOpenTime(c.OpenTime + shift)), seed];
        _now = DateTimeOffset.FromUnixTimeMilliseconds(_ticks[^1].EventTimeMs);
        _specs = [.. Timeframe.All.Select(tf => new ChartSpec(tf, CandleRuleBook.Default.Get(Symbol.GC, tf), 100_000))];

        // Both must end with the same charts, or the comparison means nothing.
        var book = Book();
        var plain = PlainRebuild();
        foreach (var tf in Timeframe.All)
        {
            if (!book.GetChart(tf)[^1].Equals(plain[tf.Ordinal][^1]))
            {
                throw new InvalidOperationException($"The baseline disagrees on {tf}: {plain[tf.Ordinal][^1]} vs {book.GetChart(tf)[^1]}.");
            }
        }
    }

    /// <summary>The plain way: the live series for the 1m candle, a list per timeframe, each coarse bucket folded again from the 1m list.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public List<Candle>[] PlainRebuild()
    {
        var rules = _specs[0].Rules;
        var series = new LiveCandleSeries(Timeframe.OneMinute, rules);
        var charts = Timeframe.All.Select(_ => new List<Candle>()).ToArray();
        var normal = CandleSeries.Normalize(_history, Timeframe.OneMinute, rules, _now).Candles;
        charts[0].AddRange(normal);
        foreach (var tf in Timeframe.All.Skip(1))
        {
            charts[tf.Ordinal].AddRange(CandleAggregation.Aggregate(normal, Timeframe.OneMinute, tf));
        }

        series.Seed(normal.AsSpan(Math.Max(0, normal.Length - rules.LiveBufferSize)));
        foreach (var tick in _ticks)
        {
            if (series.ApplyTick(tick) != CandleRejection.None)
            {
                continue;
            }

            var current = series.Current;
            Upsert(charts[0], current);
            foreach (var tf in Timeframe.All.Skip(1))
            {
                var bucket = tf.Floor(current.OpenTime);
                var fine = charts[0].FindAll(c => c.OpenTime >= bucket && c.OpenTime < bucket + tf.Seconds);
                Upsert(charts[tf.Ordinal], CandleAggregation.Aggregate(fine.ToArray(), Timeframe.OneMinute, tf)[0]);
            }
        }

        return charts;
    }

    /// <summary>OrderFlow: <see cref="ChartBook.ApplyTick"/> on a book of the six timeframes.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public ChartBook Book()
    {
        var book = new ChartBook(_specs);
        book.ApplyHistory(Timeframe.OneMinute, _history, _now);
        foreach (var tf in Timeframe.All.Skip(1))
        {
            book.ApplyHistory(tf, [], _now);
        }

        var ticks = _ticks;
        for (var i = 0; i < ticks.Length; i++)
        {
            book.ApplyTick(ticks[i], _now);
        }

        return book;
    }

    private static void Upsert(List<Candle> chart, in Candle candle)
    {
        if (chart.Count > 0 && chart[^1].OpenTime == candle.OpenTime)
        {
            chart[^1] = candle;
        }
        else
        {
            chart.Add(candle);
        }
    }
}
