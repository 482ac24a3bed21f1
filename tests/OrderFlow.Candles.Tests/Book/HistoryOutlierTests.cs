using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests.Book;

/// <summary>A <see cref="ChartBook"/> turns away history outliers as they come in, and never removes what it holds.</summary>
public sealed class HistoryOutlierTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 30, TimeSpan.Zero);
    private static readonly long End = Timeframe.OneMinute.Floor(Now.ToUnixTimeSeconds());

    private static ChartBook NewBook(CandleRules? rules = null) =>
        new(Timeframe.All.Select(tf => new ChartSpec(tf, rules ?? CandleRuleBook.Default.Get(Symbol.GC, tf), 100_000)));

    private static Candle Bar(long time, double price) => Candle.Create(time, price, price + 0.5, price - 0.5, price, 10);

    /// <summary>The last <paramref name="minutes"/> minutes, at 2000.</summary>
    private static Candle[] Minutes(int minutes) => [.. Enumerable.Range(0, minutes).Select(i => Bar(End - (60L * (minutes - i)), 2000))];

    [Fact]
    public void AHistoryBarAt1e308_IsLeftOut_AndCountedAsAnOutlier()
    {
        var book = NewBook();
        var history = Minutes(600);
        var bad = history[300].OpenTime;
        history[300] = Candle.Create(bad, 1e308, 1e308, 1e308, 1e308, 10);

        var outcome = book.ApplyHistory(Timeframe.OneMinute, history, Now);

        Assert.Equal(1, outcome.Rejections[CandleRejection.Outlier]);
        Assert.Equal("Outlier=1", outcome.Rejections.ToString());
        var chart = book.GetChart(Timeframe.OneMinute).ToArray();
        Assert.Equal(599, chart.Length);
        Assert.DoesNotContain(chart, c => c.OpenTime == bad);
        Assert.All(chart, c => Assert.InRange(c.High, 1999, 2001));   // continuity does not reach for the outlier either
    }

    [Fact]
    public void ALaterAnswer_NeverRemovesHeldBars_AndItsOutliersLeaveTheHeldBarsInPlace()
    {
        var book = NewBook();
        book.ApplyHistory(Timeframe.OneMinute, Minutes(600), Now);

        // A later answer: a 1e308 bar where the chart holds a good one, and a block at another level around a held bar
        // it leaves out, which now looks like an outlier among its neighbours; held bars are not judged again.
        var held = book.GetChart(Timeframe.OneMinute).ToArray();
        var later = held[100..200].Where((_, i) => i != 50).Select(c => Bar(c.OpenTime, 5000)).ToList();
        later.Add(Candle.Create(held[400].OpenTime, 1e308, 1e308, 1e308, 1e308, 10));
        later.AddRange(held[401..420]);
        var outcome = book.ApplyHistory(Timeframe.OneMinute, [.. later], Now);

        Assert.Equal(1, outcome.Rejections[CandleRejection.Outlier]);
        Assert.Equal(1, outcome.Rejections.Total);
        var chart = book.GetChart(Timeframe.OneMinute).ToArray();
        Assert.Equal(held.Select(c => c.OpenTime), chart.Select(c => c.OpenTime));
        Assert.Equal(held[400], chart[400]);
        Assert.Equal(2000, chart[150].Close);   // held, amid bars at 5000 (continuity opens it at 5000)
        Assert.Equal(5000, chart[149].Close);
        Assert.Equal(5000, chart[151].Close);
        Assert.Equal(2000, chart[99].Close);
    }

    [Fact]
    public void Restore_DropsAnOutlierStoredBar_AndCountsIt()
    {
        var book = NewBook();
        var stored = Minutes(300);
        stored[120] = Candle.Create(stored[120].OpenTime, 2000, 20_000, 1999.5, 2000, 10);   // a wick shifted ×10
        var buffer = Minutes(10);
        buffer[5] = Candle.Create(buffer[5].OpenTime, 2000, 2000.5, 0.002, 2000, 10);

        var outcome = book.Restore(Timeframe.OneMinute, stored, buffer, Now);

        Assert.Equal(2, outcome.Rejections[CandleRejection.Outlier]);
        var chart = book.GetChart(Timeframe.OneMinute).ToArray();
        Assert.Equal(298, chart.Length);
        Assert.All(chart, c => Assert.InRange(c.High, 1999, 2001));
        Assert.All(chart, c => Assert.InRange(c.Low, 1999, 2001));
    }

    [Fact]
    public void WithTheRuleOff_TheOutlierIsKept()
    {
        var history = Minutes(60);
        history[30] = Bar(history[30].OpenTime, 20_000);
        foreach (var rules in new[] { CandleRules.Seed with { History = RuleSet.Continuity }, CandleRules.Seed with { MaxOutlierRatio = double.PositiveInfinity }, CandleRules.Unlimited })
        {
            var book = NewBook(rules);
            var outcome = book.ApplyHistory(Timeframe.OneMinute, history, Now);
            Assert.Equal(0, outcome.Rejections.Total);
            Assert.Equal(60, book.GetChart(Timeframe.OneMinute).Length);
        }
    }
}
