using OrderFlow.Candles;
using OrderFlow.Candles.Book;

namespace OrderFlow.Candles.Tests.Book;

public sealed class ChartBufferTests
{
    private static Candle At(long t, double close = 10) => Candle.Create(t, 10, Math.Max(10, close) + 1, Math.Min(10, close) - 1, close, 1);

    [Fact]
    public void Upsert_KeepsStrictOrder_ReplacesSameTime_AndBumpsVersionOnlyOnChange()
    {
        var chart = new ChartBuffer();
        chart.Set([At(60), At(180)]);
        var v = chart.Version;
        chart.Upsert(At(120));
        chart.Upsert(At(240));
        chart.Upsert(At(0));
        Assert.Equal([0L, 60, 120, 180, 240], chart.Span.ToArray().Select(c => c.OpenTime));
        Assert.Equal(v + 3, chart.Version);
        chart.Upsert(At(120));
        Assert.Equal(v + 3, chart.Version);
        chart.Upsert(At(120, 11));
        Assert.Equal(11, chart[2].Close);
        Assert.Equal(v + 4, chart.Version);
    }

    [Fact]
    public void TrimBefore_DropsOlderCandles()
    {
        var chart = new ChartBuffer();
        chart.Set([At(0), At(60), At(120)]);
        chart.TrimBefore(60);
        Assert.Equal([60L, 120], chart.Span.ToArray().Select(c => c.OpenTime));
    }
}
