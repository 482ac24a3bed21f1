using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests.Book;

public sealed class SnapshotAheadOfStreamTests
{
    [Fact]
    public void ALiveCandleMessage_CorrectsTicksTheHistorySnapshotAlreadyHeld()
    {
        var book = new ChartBook(Timeframe.All.Select(tf => new ChartSpec(tf, CandleRuleBook.Default.Get(Symbol.GC, tf), 100_000)));
        var m = 1_780_000_020L / 60 * 60;
        var now = DateTimeOffset.FromUnixTimeSeconds(m + 30);
        Candle[] history = [Candle.Create(m - 60, 2000, 2001, 1999, 2000, 10), Candle.Create(m, 2000, 2000.5, 2000, 2000.5, 10)];
        book.ApplyHistory(Timeframe.OneMinute, history, now);
        foreach (var tf in Timeframe.All.Skip(1))
        {
            book.ApplyHistory(tf, [], now);
        }

        book.ApplyTick(new Tick(m * 1000 + 1000, 2000, 5), now);
        book.ApplyTick(new Tick(m * 1000 + 2000, 2000.5, 5), now);
        book.ApplyTick(new Tick(m * 1000 + 3000, 2000.2, 5), now);
        var outcome = book.ApplyCandle(Timeframe.OneMinute, Candle.Create(m, 2000, 2000.5, 2000, 2000.2, 15), now);
        Assert.True(outcome.Applied, outcome.Rejection.ToString());
        Assert.Equal(15, book.GetChart(Timeframe.OneMinute)[^1].Volume);
        book.ApplyTick(new Tick((m + 60) * 1000 + 500, 2000.3, 1), now.AddSeconds(60));
        Assert.Equal(15, book.GetChart(Timeframe.OneMinute)[^2].Volume);
        Assert.Equal(m, book.GetChart(Timeframe.OneMinute)[^2].OpenTime);
    }
}
