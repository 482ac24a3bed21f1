using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests.Book;

public sealed class ChartBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 30, TimeSpan.Zero);

    private static ChartBook NewBook() =>
        new(Timeframe.All.Select(tf => new ChartSpec(tf, CandleRuleBook.Default.Get(Symbol.GC, tf), 100_000)));

    private static Candle[] Day()
    {
        var end = Timeframe.OneMinute.Floor(Now.ToUnixTimeSeconds());
        return [.. Enumerable.Range(0, 1440).Select(i => Candle.Create(end - (60L * (1440 - i)), 2000, 2000.5, 1999.5, 2000, 10))];
    }

    [Fact]
    public void TicksInsideAMinute_AllocateNothing_OnAnyOfTheSixTimeframes()
    {
        var book = NewBook();
        var history = Day();
        book.ApplyHistory(Timeframe.OneMinute, history, Now);
        foreach (var tf in Timeframe.All.Skip(1))
        {
            book.ApplyHistory(tf, [], Now);   // the feed has no history for them: built from 1m
        }

        var start = Timeframe.OneMinute.Floor(Now.ToUnixTimeSeconds()) * 1000;
        book.ApplyTick(new Tick(start, 2000.1, 1), Now);   // opens the minute (the chart may grow)

        // The first rounds let the JIT settle (tiering allocates); the last is the steady state.
        long allocated = 0;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i <= 10_000; i++)
            {
                book.ApplyTick(new Tick(start + (i % 30_000), 2000 + (i % 5 * 0.1), 1), Now);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
        Assert.True(book.TryGetCurrent(Timeframe.OneDay, out var day));
        var dayStart = Timeframe.OneDay.Floor(Now.ToUnixTimeSeconds());
        Assert.Equal(history.Where(c => c.OpenTime >= dayStart).Sum(c => c.Volume) + 30_001, day.Volume);
    }

    [Fact]
    public void AnOutOfRangeInput_IsRejected_WithItsReason_AndChangesNothing()
    {
        var book = NewBook();
        book.ApplyHistory(Timeframe.OneMinute, Day(), Now);
        var version = book.GetVersion(Timeframe.OneMinute);
        var month = Now.AddDays(30);
        Assert.Equal(CandleRejection.InFuture, book.ApplyTick(new Tick(month.ToUnixTimeMilliseconds(), 2000, 1), Now).Rejection);
        Assert.Equal(CandleRejection.InFuture, book.ApplyCandle(Timeframe.FiveMinutes, Candle.Create(Timeframe.FiveMinutes.Floor(month.ToUnixTimeSeconds()), 2000, 2000, 2000, 2000, 1), Now).Rejection);
        var history = book.ApplyHistory(Timeframe.OneHour, [Candle.Create(Timeframe.OneHour.Floor(month.ToUnixTimeSeconds()), 2000, 2000, 2000, 2000, 1)], Now);
        Assert.Equal(1, history.Rejections[CandleRejection.InFuture]);
        Assert.Equal(version, book.GetVersion(Timeframe.OneMinute));
        Assert.True(book.GetChart(Timeframe.OneHour).IsEmpty || book.GetChart(Timeframe.OneHour)[^1].OpenTime <= Now.ToUnixTimeSeconds());
    }

    [Fact]
    public void Constructor_RefusesTwoChartsOfOneTimeframe_AndNone()
    {
        var spec = new ChartSpec(Timeframe.OneMinute, CandleRules.Seed, 10);
        Assert.Throws<ArgumentException>(() => new ChartBook([spec, spec]));
        Assert.Throws<ArgumentException>(() => new ChartBook([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChartBook([spec with { Depth = 0 }]));
    }
}
