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
}
