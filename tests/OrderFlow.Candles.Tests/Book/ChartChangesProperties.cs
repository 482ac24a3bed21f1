using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;

namespace OrderFlow.Candles.Tests.Book;

/// <summary>
/// What a chart reports as changed (<see cref="ChartBuffer.TakeChanges"/>) is enough to rebuild it from the copy a
/// writer last took: dropping <see cref="ChartChanges.Dropped"/> candles and replacing everything from
/// <see cref="ChartChanges.FirstChanged"/> gives the chart exactly, whatever the upserts, inserts, trims and resets in
/// between; and <see cref="ChartChanges.Between"/> finds the least such change for any two charts.
/// </summary>
public sealed class ChartChangesProperties
{
    private const long T0 = 1_704_067_200;

    /// <summary>Random operations on a chart, its changes taken at random points.</summary>
    /// <param name="seed">Seeds the operations.</param>
    [Property(MaxTest = 1000)]
    public void TakenChanges_RebuildTheChart_FromTheLastCopy(int seed)
    {
        var rng = new Random(seed);
        var chart = new ChartBuffer();
        Candle[]? copy = null;
        for (var step = rng.Next(1, 80); step > 0; step--)
        {
            Operate(chart, rng);
            if (rng.Next(3) != 0)
            {
                continue;
            }

            var changes = chart.TakeChanges();
            var now = chart.ToArray();
            if (copy is null)
            {
                Assert.True(changes.IsReset, "the first changes taken are a reset");
            }
            else if (!changes.IsReset)
            {
                Assert.Equal(now, Rebuild(copy, changes, now));
                var least = ChartChanges.Between(copy, now);
                if (!least.IsReset)
                {
                    Assert.Equal(now, Rebuild(copy, least, now));
                }
            }

            copy = now;
        }
    }

    /// <summary>Between two unrelated charts: a reset, or a change that rebuilds the second from the first.</summary>
    /// <param name="seed">Seeds the two charts.</param>
    [Property(MaxTest = 1000)]
    public void Between_AlwaysRebuilds_OrResets(int seed)
    {
        var rng = new Random(seed);
        var before = Series(rng);
        var after = Series(rng);
        var changes = ChartChanges.Between(before, after);
        if (!changes.IsReset)
        {
            Assert.Equal(after, Rebuild(before, changes, after));
            Assert.True(changes.FirstChanged == after.Length || changes.FirstChanged >= before.Length - changes.Dropped || before[changes.Dropped + changes.FirstChanged] != after[changes.FirstChanged], "the first changed candle is the first that differs");
        }

        Assert.True(after.Length == 0 || !ChartChanges.Between(after, after).Any(after.Length), "no change between a chart and itself");
    }

    // The writer's view: its copy without the dropped candles, up to the first changed one, then the chart from there.
    private static Candle[] Rebuild(Candle[] copy, ChartChanges changes, Candle[] now)
    {
        Assert.InRange(changes.Dropped, 0, copy.Length);
        Assert.InRange(changes.FirstChanged, 0, Math.Min(copy.Length - changes.Dropped, now.Length));
        return [.. copy.AsSpan(changes.Dropped, changes.FirstChanged), .. now.AsSpan(changes.FirstChanged)];
    }

    private static void Operate(ChartBuffer chart, Random rng)
    {
        var last = chart.Count > 0 ? chart.Last.OpenTime : T0;
        switch (rng.Next(13))
        {
            case < 4:
                chart.Upsert(Bar(chart.Count > 0 ? last : T0, rng));
                break;
            case < 7:
                chart.Upsert(Bar(last + (60 * rng.Next(1, 4)), rng));
                break;
            case 7:
                chart.Upsert(Bar(T0 + (60 * rng.Next(-20, 40)), rng)); // back-fill anywhere, or before the first
                break;
            case 8:
                chart.KeepLast(Math.Max(0, chart.Count - rng.Next(0, 4)));
                break;
            case 9:
                chart.TrimBefore(T0 + (60 * rng.Next(-5, 30)));
                break;
            case 10 when rng.Next(4) == 0:
                chart.Set(Series(rng));
                break;
            case 11 when chart.Count > 0:
                // A history merge: the same candles, some of the oldest gone and some of the newest settled.
                var merged = chart.Span[rng.Next(chart.Count)..].ToArray();
                for (var i = Math.Max(0, merged.Length - rng.Next(0, 4)); i < merged.Length; i++)
                {
                    merged[i] = Bar(merged[i].OpenTime, rng);
                }

                chart.Set(merged);
                break;
            default:
                break;
        }
    }

    private static Candle[] Series(Random rng)
    {
        var start = T0 + (60 * rng.Next(-5, 5));
        return [.. Enumerable.Range(0, rng.Next(0, 30)).Select(i => Bar(start + (60L * i), rng))];
    }

    private static Candle Bar(long time, Random rng)
    {
        var close = 2000 + rng.Next(-5, 6);
        return Candle.Create(time, 2000, Math.Max(2000, close) + 1, Math.Min(2000, close) - 1, close, 1);
    }
}
