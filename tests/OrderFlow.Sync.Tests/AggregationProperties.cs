using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Sync.Tests.Infrastructure;

namespace OrderFlow.Sync.Tests;

/// <summary>What the engine stores for a timeframe the feed has no history for equals a plain OHLCV resample.</summary>
public sealed class AggregationProperties
{
    [Property(MaxTest = 1000)]
    public bool DerivedChart_EqualsPlainResample(int seed, byte gapsPercent, bool fiveMinuteSource)
    {
        var random = new Random(seed);
        var source = fiveMinuteSource ? Timeframe.FiveMinutes : Timeframe.OneMinute;
        var start = source.Floor(1_700_000_000 + random.Next(0, 86_400));
        var candles = new List<Candle>();
        var price = 2000.0;
        var n = random.Next(1, 600);
        for (var i = 0; i < n; i++)
        {
            if (random.Next(100) < gapsPercent % 60)
            {
                continue; // halts and gaps
            }

            var open = price;
            price = Math.Max(1, price + ((random.NextDouble() - 0.5) * 4));
            candles.Add(Candle.Create(start + (i * source.Seconds), open, Math.Max(open, price) + random.NextDouble(), Math.Min(open, price) - random.NextDouble(), price, random.Next(0, 1000)));
        }

        foreach (var target in Timeframe.All.Where(t => t > source))
        {
            if (!CandleAggregation.Aggregate(candles.ToArray(), source, target).SequenceEqual(CandleAssert.NaiveResample(candles, target)))
            {
                return false;
            }
        }

        return true;
    }
}
