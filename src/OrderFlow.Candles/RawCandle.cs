using System.Globalization;

namespace OrderFlow.Candles;

/// <summary>
/// An unvalidated candle as it arrives from outside (a feed frame, a file, a cache): any numbers, any time unit.
/// </summary>
/// <remarks>
/// Nothing is checked on construction. <see cref="CandleSeries.Normalize(ReadOnlySpan{RawCandle}, Timeframe, Rules.CandleRules, DateTimeOffset, Sessions.CandleAlignment?)"/>
/// and <see cref="Candle.TryCreate"/> turn raw candles into <see cref="Candle"/> values or report a
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
    /// <summary>Validates this raw candle: see <see cref="Candle.TryCreate"/>.</summary>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns><see cref="CandleRejection.None"/> on success, otherwise the reason. Never throws.</returns>
    public CandleRejection TryValidate(out Candle candle) => Candle.TryCreate(Time, Open, High, Low, Close, Volume, out candle);

    /// <summary>Returns the raw form of a candle.</summary>
    /// <param name="candle">A candle.</param>
    /// <returns>The same values, time in Unix seconds.</returns>
    public static RawCandle From(Candle candle) =>
        new(candle.OpenTime, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume);

    /// <summary>Formats the raw values for logs.</summary>
    /// <returns>The text, invariant culture.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"t={Time} O={Open} H={High} L={Low} C={Close} V={Volume}");
}
