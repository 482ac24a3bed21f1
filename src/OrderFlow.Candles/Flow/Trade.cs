using System.Globalization;

namespace OrderFlow.Candles.Flow;

/// <summary>One trade with its aggressor side: what order-flow candles are built from.</summary>
/// <param name="EventTimeMs">The exchange time of the trade, Unix milliseconds.</param>
/// <param name="Price">The trade price; finite and positive.</param>
/// <param name="Size">The traded quantity; finite, not negative, at most <see cref="Candle.MaxVolume"/>.</param>
/// <param name="Side">The aggressor side.</param>
public readonly record struct Trade(long EventTimeMs, double Price, double Size, AggressorSide Side)
{
    /// <summary>Checks the trade's values.</summary>
    /// <returns><see cref="CandleRejection.None"/>, or why the trade cannot go into a candle.</returns>
    public CandleRejection Validate()
    {
        if (!Candle.IsValidPrice(Price))
        {
            return double.IsFinite(Price) ? CandleRejection.NonPositivePrice : CandleRejection.NonFinitePrice;
        }

        if (!(Size >= 0 && Size <= Candle.MaxVolume) || Side > AggressorSide.Sell)
        {
            return CandleRejection.InvalidVolume;
        }

        return EventTimeMs is >= UnixTime.MinSeconds and <= UnixTime.MaxMilliseconds ? CandleRejection.None : CandleRejection.TimeOutOfRange;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{EventTimeMs}ms P={Price} S={Size} {Side}");
}
