using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Tests.Properties;

namespace OrderFlow.Candles.Tests.Flow;

/// <summary>
/// Laws of order-flow candles: the three volumes add up to the volume, the delta of an aggregate is the sum of the
/// deltas, and the OHLCV part is exactly the plain candle maths of the same trades.
/// </summary>
public class FlowProperties
{
    private static readonly Timeframe[] Targets = [Timeframe.FiveMinutes, Timeframe.FifteenMinutes, Timeframe.OneHour, Timeframe.FourHours, Timeframe.OneDay];

    public static Arbitrary<Trade[]> TradeStreams() =>
        (from count in Gen.Choose(1, 400)
         from seed in Gen.Choose(0, int.MaxValue)
         select Stream(count, seed)).ToArbitrary();

    [Property(MaxTest = PropertySettings.MaxTest, Arbitrary = [typeof(FlowProperties)])]
    public void BuyPlusSellPlusUnknown_IsTheVolume(Trade[] trades)
    {
        foreach (var candle in FlowAggregation.FromTrades(trades, Timeframe.OneMinute))
        {
            Assert.True(candle.BuyVolume >= 0 && candle.SellVolume >= 0 && candle.UnknownVolume >= 0, candle.ToString());
            Assert.Equal(candle.Volume, candle.BuyVolume + candle.SellVolume + candle.UnknownVolume);
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest, Arbitrary = [typeof(FlowProperties)])]
    public void TheDeltaOfAnAggregate_IsTheSumOfTheDeltas(Trade[] trades)
    {
        var minutes = FlowAggregation.FromTrades(trades, Timeframe.OneMinute);
        foreach (var target in Targets)
        {
            var coarse = CandleAggregation.Aggregate(minutes, Timeframe.OneMinute, target);
            foreach (var bucket in coarse)
            {
                var inside = minutes.Where(m => target.Floor(m.OpenTime) == bucket.OpenTime).ToArray();
                Assert.Equal(inside.Sum(m => m.Delta), bucket.Delta);
                Assert.Equal(inside.Sum(m => m.BuyVolume), bucket.BuyVolume);
                Assert.Equal(inside.Sum(m => m.SellVolume), bucket.SellVolume);
            }

            Assert.Equal(minutes.Sum(m => m.Delta), coarse.Sum(c => c.Delta));
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest, Arbitrary = [typeof(FlowProperties)])]
    public void Aggregating_TradesOrMinutes_GivesTheSameCandles(Trade[] trades)
    {
        var minutes = FlowAggregation.FromTrades(trades, Timeframe.OneMinute);
        foreach (var target in Targets)
        {
            Assert.Equal(FlowAggregation.FromTrades(trades, target), CandleAggregation.Aggregate(minutes, Timeframe.OneMinute, target));
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest, Arbitrary = [typeof(FlowProperties)])]
    public void TheOhlcvPart_IsThePlainCandleMaths_AndTheFlowIsEachSidesSize(Trade[] trades)
    {
        // A trade model: first/max/min/last/sum per minute, and the plain aggregation of those into coarser candles.
        var expected = trades
            .GroupBy(t => Timeframe.OneMinute.Floor(t.EventTimeMs / 1000))
            .Select(g => Candle.Create(g.Key, g.First().Price, g.Max(t => t.Price), g.Min(t => t.Price), g.Last().Price, g.Sum(t => t.Size)))
            .ToArray();
        var minutes = FlowAggregation.FromTrades(trades, Timeframe.OneMinute);
        Assert.Equal(expected, minutes.Select(m => m.WithFlow(0, 0)));

        // And the flow is each side's traded size.
        var flows = trades
            .GroupBy(t => Timeframe.OneMinute.Floor(t.EventTimeMs / 1000))
            .Select(g => (Buy: g.Where(t => t.Side == AggressorSide.Buy).Sum(t => t.Size), Sell: g.Where(t => t.Side == AggressorSide.Sell).Sum(t => t.Size)))
            .ToArray();
        Assert.Equal(flows, minutes.Select(m => (Buy: m.BuyVolume, Sell: m.SellVolume)));
        foreach (var target in Targets)
        {
            Assert.Equal(CandleAggregation.Aggregate(expected, Timeframe.OneMinute, target), CandleAggregation.Aggregate(minutes, Timeframe.OneMinute, target).Select(c => c.WithFlow(0, 0)));
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest, Arbitrary = [typeof(FlowProperties)])]
    public void TheIncrementalAggregator_KeepsTheFlowToo(Trade[] trades)
    {
        // The sync engine's path: TimeframeAggregator fed one minute at a time, revisions included.
        var minutes = FlowAggregation.FromTrades(trades, Timeframe.OneMinute);
        foreach (var target in Targets)
        {
            var aggregator = new TimeframeAggregator(Timeframe.OneMinute, target);
            var built = new List<Candle>();
            foreach (var minute in minutes)
            {
                Assert.Equal(CandleRejection.None, aggregator.Update(minute));
                var current = aggregator.Current;
                if (built.Count > 0 && built[^1].OpenTime == current.OpenTime)
                {
                    built[^1] = current;
                }
                else
                {
                    built.Add(current);
                }
            }

            Assert.Equal(CandleAggregation.Aggregate(minutes, Timeframe.OneMinute, target), built);
        }
    }

    /// <summary>Trades in time order over up to two days, whole-contract sizes, random sides (a tenth unknown).</summary>
    private static Trade[] Stream(int count, int seed)
    {
        var rng = new Random(seed);
        var time = 1_717_200_000_000L + rng.Next(0, 86_400_000);
        var price = 2000.0 + rng.Next(-100, 100);
        var trades = new Trade[count];
        for (var i = 0; i < count; i++)
        {
            time += rng.Next(4) switch { 0 => 0, 1 => rng.Next(1, 1000), 2 => rng.Next(1000, 120_000), _ => rng.Next(120_000, 1_800_000) };
            price = Math.Max(1, price + (rng.Next(-4, 5) * 0.1));
            var side = rng.Next(10) switch { 0 => AggressorSide.Unknown, < 6 => AggressorSide.Buy, _ => AggressorSide.Sell };
            trades[i] = new Trade(time, Math.Round(price, 1), rng.Next(1, 50), side);
        }

        return trades;
    }
}
