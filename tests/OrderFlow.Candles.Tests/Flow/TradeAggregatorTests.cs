using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Tests.Flow;

public class TradeAggregatorTests
{
    private const long T0 = 1_717_200_000_000; // 2024-06-01T00:00:00Z in ms

    [Fact]
    public void Trades_BuildCandlesWithBuySellAndDelta()
    {
        var aggregator = new TradeAggregator(Timeframe.OneMinute);
        Assert.Equal(CandleRejection.None, aggregator.Add(new Trade(T0 + 1_000, 2030.5, 3, AggressorSide.Buy)));
        Assert.Equal(CandleRejection.None, aggregator.Add(new Trade(T0 + 2_000, 2031.0, 5, AggressorSide.Sell)));
        Assert.Equal(CandleRejection.None, aggregator.Add(new Trade(T0 + 3_000, 2030.0, 2, AggressorSide.Unknown)));
        Assert.False(aggregator.TryTakeCompleted(out _));
        var current = aggregator.Current;
        Assert.Equal(Candle.Create(T0 / 1000, 2030.5, 2031.0, 2030.0, 2030.0, 10, 3, 5), current);
        Assert.Equal((3.0, 5.0, 2.0, -2.0), (current.BuyVolume, current.SellVolume, current.UnknownVolume, current.Delta));

        // The next minute completes the first candle, once.
        Assert.Equal(CandleRejection.None, aggregator.Add(new Trade(T0 + 61_000, 2030.25, 1, AggressorSide.Buy)));
        Assert.True(aggregator.TryTakeCompleted(out var first));
        Assert.Equal(current, first);
        Assert.False(aggregator.TryTakeCompleted(out _));
        Assert.True(aggregator.TryFlush(out var second));
        Assert.Equal((T0 / 1000) + 60, second.OpenTime);
        Assert.Equal(1, second.Delta);
    }

    [Fact]
    public void LateAndInvalidTrades_AreRejectedAndCounted()
    {
        var aggregator = new TradeAggregator(Timeframe.OneMinute);
        aggregator.Add(new Trade(T0 + 61_000, 2030, 1, AggressorSide.Buy));
        Assert.Equal(CandleRejection.Late, aggregator.Add(new Trade(T0 + 1_000, 2030, 1, AggressorSide.Buy)));
        Assert.Equal(CandleRejection.NonPositivePrice, aggregator.Add(new Trade(T0 + 62_000, 0, 1, AggressorSide.Buy)));
        Assert.Equal(CandleRejection.NonFinitePrice, aggregator.Add(new Trade(T0 + 62_000, double.NaN, 1, AggressorSide.Buy)));
        Assert.Equal(CandleRejection.InvalidVolume, aggregator.Add(new Trade(T0 + 62_000, 2030, -1, AggressorSide.Buy)));
        Assert.Equal(CandleRejection.InvalidVolume, aggregator.Add(new Trade(T0 + 62_000, 2030, 1, (AggressorSide)7)));
        Assert.Equal(CandleRejection.TimeOutOfRange, aggregator.Add(new Trade(-1, 2030, 1, AggressorSide.Buy)));
        Assert.Equal(6, aggregator.Rejections.Total);
        Assert.Equal(1, aggregator.Accepted);
        Assert.Equal(1, aggregator.Current.BuyVolume);
    }

    [Fact]
    public void SessionAlignment_PutsTradesInTheSessionsBuckets()
    {
        // CME: the trading day opens at 17:00 Chicago (22:00 UTC in June): a 21:59 and a 22:01 trade are two days.
        var aggregator = new TradeAggregator(Timeframe.OneDay, CandleAlignment.CmeGlobex());
        var evening = new DateTimeOffset(2024, 6, 3, 21, 59, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        aggregator.Add(new Trade(evening, 2030, 1, AggressorSide.Buy));
        aggregator.Add(new Trade(evening + 120_000, 2031, 2, AggressorSide.Sell));
        Assert.True(aggregator.TryTakeCompleted(out var day));
        Assert.Equal(1, day.Delta);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), aggregator.Current.OpenTime);
    }

    [Fact]
    public void Candle_TryCreate_ChecksTheFlowAgainstTheVolume()
    {
        Assert.Equal(CandleRejection.None, Candle.TryCreate(T0 / 1000, 10, 11, 9, 10.5, 100, 60, 40, out var flow));
        Assert.Equal((20.0, 0.0, true), (flow.Delta, flow.UnknownVolume, flow.HasFlow));
        Assert.Equal(CandleRejection.InvalidVolume, Candle.TryCreate(T0 / 1000, 10, 11, 9, 10.5, 100, 60, 41, out _));
        Assert.Equal(CandleRejection.InvalidVolume, Candle.TryCreate(T0 / 1000, 10, 11, 9, 10.5, 100, -1, 0, out _));
        Assert.Equal(CandleRejection.InvalidVolume, Candle.TryCreate(T0 / 1000, 10, 11, 9, 10.5, 100, double.NaN, 0, out _));
        Assert.Equal(CandleRejection.InvalidVolume, Candle.TryCreate(T0 / 1000, 10, 11, 9, 10.5, 100, 0, double.PositiveInfinity, out _));

        // Prices are still checked first, and a plain candle has all its volume unknown.
        Assert.Equal(CandleRejection.NonPositivePrice, Candle.TryCreate(T0 / 1000, 0, 11, 9, 10.5, 100, 1, 1, out _));
        var plain = Candle.Create(T0 / 1000, 10, 11, 9, 10.5, 100);
        Assert.Equal((100.0, 0.0, false), (plain.UnknownVolume, plain.Delta, plain.HasFlow));
        Assert.Equal(flow, plain.WithFlow(60, 40));
        Assert.NotEqual(plain, flow);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => plain.WithFlow(60, 41));
        Assert.Equal("sellVolume", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Candle.Create(T0 / 1000, 10, 11, 9, 10.5, 100, -1, 0));
        Assert.EndsWith("V=100 B=60 S=40", flow.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("V=100", plain.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CandleTransforms_KeepTheFlow()
    {
        var flow = Candle.Create(T0 / 1000, 10, 11, 9, 10.5, 100, 60, 40);
        Assert.Equal((60.0, 40.0), (flow.WithOpenTime((T0 / 1000) + 60).BuyVolume, flow.WithOpenTime((T0 / 1000) + 60).SellVolume));
        var raw = RawCandle.From(flow);
        Assert.Equal((60.0, 40.0), (raw.BuyVolume, raw.SellVolume));
        Assert.Equal(CandleRejection.None, raw.TryValidate(out var back));
        Assert.Equal(flow, back);
        Assert.Equal(CandleRejection.InvalidVolume, (raw with { SellVolume = 41 }).TryValidate(out _));
    }

    [Fact]
    public void AnOhlcvBar_ReplacingATradeBuiltCandle_KeepsItsFlow_WhenItFits()
    {
        var minute = T0 / 1000;
        var fromTrades = Candle.Create(minute, 10, 11, 9, 10.5, 30, 20, 8);
        var bar = Candle.Create(minute, 10, 11.5, 9, 10.25, 32);
        Assert.Equal(bar.WithFlow(20, 8), bar.WithFlowFrom(fromTrades));
        Assert.Equal(bar, bar.WithFlowFrom(Candle.Create(minute, 10, 11, 9, 10.5, 40, 30, 8)));   // 38 sided > 32: not carried
        Assert.Equal(bar.WithFlow(1, 1), bar.WithFlow(1, 1).WithFlowFrom(fromTrades));             // its own flow wins

        // History merged over the live chart (CandleSeries.Merge) and a bar over the live candle (LiveCandleSeries).
        var rules = Rules.CandleRules.Seed;
        var next = Candle.Create(minute + 60, 10.25, 10.5, 10, 10.5, 5, 5, 0);
        var merged = CandleSeries.Merge([fromTrades, next], [bar, Candle.Create(minute + 60, 10.25, 10.5, 10, 10.5, 4)], Timeframe.OneMinute, rules, DateTimeOffset.FromUnixTimeSeconds(minute + 120));
        Assert.Equal((20.0, 8.0), (merged.Candles[0].BuyVolume, merged.Candles[0].SellVolume));
        Assert.False(merged.Candles[1].HasFlow); // 5 sided > 4
        var sorted = CandleSeries.Merge([fromTrades, bar], [bar], Timeframe.OneMinute, rules, DateTimeOffset.FromUnixTimeSeconds(minute + 120), CandleAlignment.CmeGlobex()); // the sort path
        Assert.Equal(20, Assert.Single(sorted.Candles).BuyVolume);

        var live = new Live.LiveCandleSeries(Timeframe.OneMinute, rules);
        live.ApplyTick(new Tick(T0 + 1_000, 10, 3) { Side = AggressorSide.Buy });
        live.ApplyTick(new Tick(T0 + 61_000, 10, 2) { Side = AggressorSide.Sell });
        Assert.Equal(CandleRejection.None, live.ApplyCandle(Candle.Create(minute + 60, 10, 10, 10, 10, 2)));  // the current minute
        Assert.Equal(CandleRejection.None, live.ApplyCandle(Candle.Create(minute, 10, 10, 10, 10, 3)));       // a held minute
        Assert.Equal([3.0, -2.0], live.ToArray().Select(c => c.Delta));
    }

    [Fact]
    public void AddingATrade_AllocatesNothing()
    {
        var aggregator = new TradeAggregator(Timeframe.OneMinute);
        var trades = Enumerable.Range(0, 10_000).Select(i => new Trade(T0 + (i * 997L), 2030 + (i % 7), 1 + (i % 3), (AggressorSide)(i % 3))).ToArray();
        foreach (var t in trades.AsSpan(0, 100))
        {
            aggregator.Add(t);
            aggregator.TryTakeCompleted(out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var t in trades.AsSpan(100))
        {
            aggregator.Add(t);
            aggregator.TryTakeCompleted(out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
