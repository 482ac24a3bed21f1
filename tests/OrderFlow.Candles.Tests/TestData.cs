using OrderFlow.Candles;

namespace OrderFlow.Candles.Tests;

/// <summary>Small helpers shared by the example tests.</summary>
internal static class TestData
{
    /// <summary>2024-01-01T00:00:00Z, the seed's sample candle time, in Unix seconds.</summary>
    public const long T0 = 1_704_067_200;

    /// <summary>A fixed "now" for window tests: 2024-06-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static Candle C(long time, double open, double high, double low, double close, double volume = 1) =>
        Candle.Create(time, open, high, low, close, volume);

    /// <summary>A flat candle at <paramref name="price"/>.</summary>
    public static Candle Flat(long time, double price, double volume = 1) => C(time, price, price, price, price, volume);

    public static Tick T(long timeMs, double price, double size = 1) => new(timeMs, price, size);
}
