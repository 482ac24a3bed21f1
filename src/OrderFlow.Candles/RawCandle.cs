using System.Globalization;

namespace OrderFlow.Candles;

/// <summary>
/// An unvalidated candle as it arrives from outside (a feed frame, a file, a cache): any numbers, any time unit.
/// </summary>
/// <remarks>
/// Nothing is checked on construction. <see cref="CandleSeries.Normalize(ReadOnlySpan{RawCandle}, Timeframe, Rules.CandleRules, DateTimeOffset, Sessions.CandleAlignment?)"/>
/// and <see cref="TryValidate"/> turn raw candles into <see cref="Candle"/> values or report a
/// <see cref="CandleRejection"/>.
/// </remarks>
/// <param name="Time">The open time in Unix seconds, or Unix milliseconds when at least 1e11 (see <see cref="UnixTime"/>).</param>
/// <param name="Open">The first price.</param>
/// <param name="High">The highest price.</param>
/// <param name="Low">The lowest price.</param>
/// <param name="Close">The last price.</param>
/// <param name="Volume">The traded volume.</param>
public readonly record struct RawCandle(long Time, double Open, double High, double Low, double Close, double Volume)
{
    /// <summary>The volume traded by aggressive buyers; 0 when the source does not say (see <see cref="Candle.BuyVolume"/>).</summary>
    public double BuyVolume { get; init; }

    /// <summary>The volume traded by aggressive sellers; 0 when the source does not say (see <see cref="Candle.SellVolume"/>).</summary>
    public double SellVolume { get; init; }

    /// <summary>Validates this raw candle: see <see cref="Candle.TryCreate(long, double, double, double, double, double, double, double, out Candle)"/>.</summary>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns><see cref="CandleRejection.None"/> on success, otherwise the reason. Never throws.</returns>
    public CandleRejection TryValidate(out Candle candle) => Candle.TryCreate(Time, Open, High, Low, Close, Volume, BuyVolume, SellVolume, out candle);

    /// <summary>Returns the raw form of a candle.</summary>
    /// <param name="candle">A candle.</param>
    /// <returns>The same values (with the order flow), time in Unix seconds.</returns>
    public static RawCandle From(Candle candle) =>
        new(candle.OpenTime, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume) { BuyVolume = candle.BuyVolume, SellVolume = candle.SellVolume };

    /// <summary>Formats the raw values for logs.</summary>
    /// <returns>The text, invariant culture.</returns>
    public override string ToString() => BuyVolume != 0 || SellVolume != 0
        ? string.Create(CultureInfo.InvariantCulture, $"t={Time} O={Open} H={High} L={Low} C={Close} V={Volume} B={BuyVolume} S={SellVolume}")
        : string.Create(CultureInfo.InvariantCulture, $"t={Time} O={Open} H={High} L={Low} C={Close} V={Volume}");
}
