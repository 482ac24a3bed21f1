using OrderFlow.Candles;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>Deterministic valid candles for seeding the store.</summary>
internal static class TestCandles
{
    /// <summary>2026-01-05 00:00 UTC, a Monday.</summary>
    public const long Start = 1_767_571_200;

    /// <summary><paramref name="count"/> ascending, continuous candles of <paramref name="timeframe"/> around <paramref name="basePrice"/>.</summary>
    public static Candle[] Series(Timeframe timeframe, int count, double basePrice = 2000, long? start = null)
    {
        var result = new Candle[count];
        var open = basePrice;
        var time = timeframe.Floor(start ?? Start);
        for (var i = 0; i < count; i++)
        {
            // A slow wave plus a small zig-zag: visible candles of both colours, never negative.
            var close = Math.Round(basePrice + (basePrice * 0.02 * Math.Sin(i / 25.0)) + ((i % 2 == 0 ? 1 : -1) * basePrice * 0.001), 2);
            var high = Math.Round(Math.Max(open, close) + (basePrice * 0.0008), 2);
            var low = Math.Round(Math.Min(open, close) - (basePrice * 0.0008), 2);
            result[i] = Candle.Create(time, open, high, low, close, 100 + (i % 17 * 10));
            open = close;
            time += timeframe.Seconds;
        }

        return result;
    }

    public static Candle At(long time, double open, double close, double volume = 50) =>
        Candle.Create(time, open, Math.Max(open, close) + 0.5, Math.Min(open, close) - 0.5, close, volume);

    /// <summary>A candle like <see cref="At(long, double, double, double)"/> with order flow.</summary>
    public static Candle At(long time, double open, double close, double volume, double buyVolume, double sellVolume) =>
        At(time, open, close, volume).WithFlow(buyVolume, sellVolume);

    /// <summary>
    /// The candles of <see cref="Series"/> with order flow: candle <c>i</c> gets a positive delta when
    /// <paramref name="sign"/>(i) &gt; 0 (60 % of its volume bought, 30 % sold), a negative one when &lt; 0 (30 % / 60 %),
    /// a zero delta when 0 (40 % / 40 %), and no flow at all when null. Volumes are multiples of 10, so every buy, sell
    /// and delta is an integer and sums are exact.
    /// </summary>
    public static Candle[] FlowSeries(Timeframe timeframe, int count, Func<int, int?> sign, double basePrice = 2000, long? start = null)
    {
        var candles = Series(timeframe, count, basePrice, start);
        for (var i = 0; i < candles.Length; i++)
        {
            candles[i] = WithDeltaSign(candles[i], sign(i));
        }

        return candles;
    }

    /// <summary>The candle with flow whose delta has the given sign (see <see cref="FlowSeries"/>); null: no flow.</summary>
    public static Candle WithDeltaSign(Candle candle, int? sign)
    {
        var v = candle.Volume;
        return sign switch
        {
            null => candle.WithFlow(0, 0),
            > 0 => candle.WithFlow(v * 6 / 10, v * 3 / 10),
            < 0 => candle.WithFlow(v * 3 / 10, v * 6 / 10),
            _ => candle.WithFlow(v * 4 / 10, v * 4 / 10),
        };
    }

    /// <summary>The running sum of the candles' deltas, added in order (as the pages add them).</summary>
    public static double CumulativeDelta(IEnumerable<Candle> candles)
    {
        var sum = 0.0;
        foreach (var candle in candles)
        {
            sum += candle.Delta;
        }

        return sum;
    }
}
