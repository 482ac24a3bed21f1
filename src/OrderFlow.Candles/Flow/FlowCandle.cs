using System.Globalization;

namespace OrderFlow.Candles.Flow;

/// <summary>
/// An OHLCV candle with its order flow: the part of its volume bought by aggressive buyers, the part sold by
/// aggressive sellers, and (the rest) volume whose side is not known.
/// </summary>
/// <remarks>
/// Invariants, kept by every way of making one: <c>BuyVolume ≥ 0</c>, <c>SellVolume ≥ 0</c>,
/// <c>BuyVolume + SellVolume ≤ Volume</c>, so <c>BuyVolume + SellVolume + UnknownVolume = Volume</c>. Aggregation sums
/// the three volumes, so the delta of an aggregate is the sum of the deltas.
/// </remarks>
public readonly record struct FlowCandle
{
    private FlowCandle(in Candle candle, double buyVolume, double sellVolume)
    {
        Candle = candle;
        BuyVolume = buyVolume;
        SellVolume = sellVolume;
    }

    /// <summary>The OHLCV candle.</summary>
    public Candle Candle { get; }

    /// <summary>Volume traded by aggressive buyers.</summary>
    public double BuyVolume { get; }

    /// <summary>Volume traded by aggressive sellers.</summary>
    public double SellVolume { get; }

    /// <summary>Volume whose aggressor side is not known: <c>Volume − BuyVolume − SellVolume</c>.</summary>
    public double UnknownVolume => Candle.Volume - BuyVolume - SellVolume;

    /// <summary>Buy volume minus sell volume.</summary>
    public double Delta => BuyVolume - SellVolume;

    /// <summary>The candle's open time, Unix seconds.</summary>
    public long OpenTime => Candle.OpenTime;

    /// <summary>Makes a flow candle after checking the flow against the candle's volume.</summary>
    /// <param name="candle">The OHLCV candle.</param>
    /// <param name="buyVolume">Aggressive buy volume.</param>
    /// <param name="sellVolume">Aggressive sell volume.</param>
    /// <param name="flowCandle">The flow candle, when valid.</param>
    /// <returns><see cref="CandleRejection.None"/>, or <see cref="CandleRejection.InvalidVolume"/> when a volume is negative, not finite, or the two exceed the candle's volume.</returns>
    public static CandleRejection TryCreate(in Candle candle, double buyVolume, double sellVolume, out FlowCandle flowCandle)
    {
        if (!(buyVolume >= 0 && sellVolume >= 0 && buyVolume + sellVolume <= candle.Volume))
        {
            flowCandle = default;
            return CandleRejection.InvalidVolume;
        }

        flowCandle = new FlowCandle(candle, buyVolume, sellVolume);
        return CandleRejection.None;
    }

    /// <summary>A flow candle whose side is unknown for all its volume (a plain candle, e.g. from an OHLCV feed).</summary>
    /// <param name="candle">The candle.</param>
    /// <returns>The candle with no buy or sell volume.</returns>
    public static FlowCandle WithoutFlow(in Candle candle) => new(candle, 0, 0);

    /// <summary>Built by this package's builders, whose sums keep the invariants by construction.</summary>
    internal static FlowCandle FromTrusted(in Candle candle, double buyVolume, double sellVolume) => new(candle, buyVolume, sellVolume);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Candle} B={BuyVolume} S={SellVolume} Δ={Delta}");
}
