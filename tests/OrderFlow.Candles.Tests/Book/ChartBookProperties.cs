using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Tests.Properties;

namespace OrderFlow.Candles.Tests.Book;

/// <summary>Laws of <see cref="ChartBook"/>.</summary>
public sealed class ChartBookProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property AnyInterleaving_GivesTheBatchCharts(int seed)
    {
        // Streaming = batch: history answers (some stale, some late), live candles and ticks in any interleaving give,
        // on every timeframe, the aggregation of the true 1m candles, with 5m/15m/1h/4h/1d that have no history of
        // their own derived from finer ones.
        var scenario = new MarketScenario(seed);
        var book = MarketScenario.NewBook();
        foreach (var e in scenario.Events)
        {
            e.ApplyTo(book);
        }

        return Check(scenario, book, "book");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property Resume_FromSavedCharts_GivesTheSameCharts(int seed, PositiveInt stopAt)
    {
        var scenario = new MarketScenario(seed);
        var stop = stopAt.Get % (scenario.Events.Count + 1);
        var first = MarketScenario.NewBook();
        foreach (var e in scenario.Events.Take(stop))
        {
            e.ApplyTo(first);
        }

        // What the store holds of the first book: every chart and its live buffer.
        var now = stop > 0 ? scenario.Events[stop - 1].NowTime : DateTimeOffset.FromUnixTimeSeconds(MarketScenario.Start);
        var resumed = MarketScenario.NewBook();
        foreach (var tf in Timeframe.All)
        {
            var live = new Candle[500];
            var n = first.CopyLiveBuffer(tf, live);
            resumed.Restore(tf, first.GetChart(tf), live.AsSpan(0, n), now);
        }

        // The feed's first answers after the restart say again which timeframes it has no history for.
        foreach (var tf in Timeframe.All.Where(first.IsDerived))
        {
            resumed.ApplyHistory(tf, [], now);
        }

        foreach (var e in scenario.Events.Skip(stop))
        {
            e.ApplyTo(resumed);
        }

        return Check(scenario, resumed, $"resumed after {stop} events");
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public Property HostileInputs_KeepTheLimits(int seed)
    {
        // Any inputs (future times, stale history, candles a year old, depth caps, empty answers): no chart ever
        // holds a candle later than now plus one timeframe or more than its depth; a chart only loses candles to the
        // window and its depth; a derived chart equals the aggregation of its source.
        var random = new Random(seed);
        var depths = Timeframe.All.ToDictionary(tf => tf, _ => random.Next(3, 300));
        var book = new ChartBook(Timeframe.All.Select(tf => new ChartSpec(tf, MarketScenario.Rules, depths[tf])));
        var now = MarketScenario.Start;
        var price = 2000.0;
        for (var step = 0; step < 60; step++)
        {
            now += random.Next(0, 4) * random.Next(1, 3600);
            var before = Timeframe.All.ToDictionary(tf => tf, tf => book.GetChart(tf).ToArray());
            var nowTime = DateTimeOffset.FromUnixTimeSeconds(now);
            Candle RandomCandle(Timeframe tf)
            {
                var t = now + random.Next(-(int)TimeSpan.FromDays(400).TotalSeconds / 60, 3 * 1440) * 60L;
                price = Math.Max(1, price + random.Next(-50, 51));
                return Candle.Create(tf.Floor(t), price, price + random.Next(0, 5), price - random.Next(0, 5), price, random.Next(0, 100));
            }

            var tf = Timeframe.All[random.Next(Timeframe.All.Count)];
            switch (random.Next(5))
            {
                case 0:
                    book.ApplyHistory(tf, [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => RandomCandle(tf))], nowTime);
                    break;
                case 1:
                    book.ApplyHistory(tf, [], nowTime);
                    break;
                case 2 when !book.IsDerived(tf):
                    book.ApplyCandle(tf, RandomCandle(tf), nowTime);
                    break;
                case 3:
                    book.ApplyTick(new Tick((now * 1000) + random.Next(-600_000, 5 * 86_400_000), price, random.Next(1, 10)), nowTime);
                    break;
                default:
                    book.Trim(nowTime);
                    break;
            }

            if (Violation(book, before, depths, now) is { } violation)
            {
                return false.Label($"seed={seed} step={step} now={now}: {violation}");
            }
        }

        return true.ToProperty();
    }

    private static Property Check(MarketScenario scenario, ChartBook book, string what)
    {
        foreach (var tf in Timeframe.All)
        {
            var expected = scenario.Expected(tf);
            var actual = book.GetChart(tf).ToArray();
            if (!expected.SequenceEqual(actual))
            {
                var diff = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
                    .First(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i]);
                return false.Label($"{scenario}: {what}, {tf} differs at [{diff}] of {expected.Length}/{actual.Length}: expected {(diff < expected.Length ? expected[diff] : "nothing")}, got {(diff < actual.Length ? actual[diff] : "nothing")}");
            }
        }

        return true.ToProperty();
    }

    private static string? Violation(ChartBook book, Dictionary<Timeframe, Candle[]> before, Dictionary<Timeframe, int> depths, long now)
    {
        foreach (var tf in Timeframe.All)
        {
            var chart = book.GetChart(tf).ToArray();
            if (chart.Length > depths[tf])
            {
                return $"{tf} holds {chart.Length} candles, depth {depths[tf]}";
            }

            for (var i = 0; i < chart.Length; i++)
            {
                if (chart[i].OpenTime > now + tf.Seconds)
                {
                    return $"{tf} holds {chart[i]}, later than now + {tf}";
                }

                if (i > 0 && chart[i].OpenTime <= chart[i - 1].OpenTime)
                {
                    return $"{tf} is not strictly ascending at [{i}]";
                }
            }

            var windowStart = now - (long)MarketScenario.Rules.HistoryWindow.TotalSeconds;
            var times = chart.Select(c => c.OpenTime).ToHashSet();
            foreach (var lost in before[tf].Where(c => !times.Contains(c.OpenTime)))
            {
                var byDepth = chart.Length == depths[tf] && lost.OpenTime < chart[0].OpenTime;
                if (lost.OpenTime >= windowStart && !byDepth)
                {
                    return $"{tf} lost {lost} (window starts {windowStart}, {chart.Length}/{depths[tf]} candles)";
                }
            }

            if (book.IsDerived(tf) && DerivationViolation(book, tf, depths[tf], windowStart) is { } derivation)
            {
                return derivation;
            }
        }

        return null;
    }

    private static string? DerivationViolation(ChartBook book, Timeframe tf, int depth, long windowStart)
    {
        var source = book.Timeframes.Where(f => f < tf && f.Divides(tf) && book.GetChart(f).Length > 0).Cast<Timeframe?>().LastOrDefault();
        if (source is not { } s)
        {
            return null;
        }

        var fine = book.GetChart(s);
        var candles = book.GetChart(tf).ToArray();
        var chart = candles.ToDictionary(c => c.OpenTime);
        foreach (var expected in CandleAggregation.Aggregate(fine, s, tf))
        {
            var partial = expected.OpenTime < fine[0].OpenTime || (expected.OpenTime != fine[0].OpenTime && tf.Floor(fine[0].OpenTime) == expected.OpenTime);
            var beyondDepth = candles.Length == depth && expected.OpenTime < candles[0].OpenTime;
            partial |= expected.OpenTime < windowStart;
            if (!partial && !beyondDepth && (!chart.TryGetValue(expected.OpenTime, out var actual) || actual != expected))
            {
                return $"derived {tf} at {expected.OpenTime}: expected the aggregate of {s} {expected}, got {(chart.TryGetValue(expected.OpenTime, out var a) ? a : "nothing")}";
            }
        }

        return null;
    }
}
