using System.Runtime.CompilerServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;

namespace OrderFlow.Databento;

/// <summary>Converts DBN bars into OrderFlow <see cref="Candle"/>s.</summary>
/// <remarks>
/// <para>
/// Time: <see cref="Candle.OpenTime"/> is <c>ts_event</c> (the bar's open) in whole Unix seconds, rounded down.
/// Prices: each fixed-point price becomes the double nearest its exact decimal value — the same double that
/// parsing the decimal text gives (<c>3720.250000000</c> → 3720.25) — so candles from DBN compare equal to candles
/// read from JSON. Volume: the integer volume as a double (exact below 2^53).
/// </para>
/// <para>
/// Bars are untrusted market data, so they go through <see cref="Candle.TryCreate(long, double, double, double, double, double, out Candle)"/>: an undefined price is
/// <see cref="CandleRejection.NonFinitePrice"/>, a zero or negative one <see cref="CandleRejection.NonPositivePrice"/>.
/// Nothing allocates.
/// </para>
/// </remarks>
public static class DbnCandles
{
    /// <summary>Converts an OHLCV bar into a candle.</summary>
    /// <param name="bar">The bar.</param>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns><see cref="CandleRejection.None"/> on success; otherwise why the bar is not a valid candle.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CandleRejection TryToCandle(in OhlcvMsg bar, out Candle candle)
    {
        if (bar.Open.IsUndefined || bar.High.IsUndefined || bar.Low.IsUndefined || bar.Close.IsUndefined)
        {
            candle = default;
            return CandleRejection.NonFinitePrice;
        }

        var seconds = bar.Header.TsEvent / DbnConstants.NanosPerSecond;
        if (seconds > UnixTime.MaxSeconds)
        {
            candle = default;
            return CandleRejection.TimeOutOfRange;
        }

        return Candle.TryCreate(
            (long)seconds,
            DbnPrice.ToDoubleUnchecked(bar.Open.Raw),
            DbnPrice.ToDoubleUnchecked(bar.High.Raw),
            DbnPrice.ToDoubleUnchecked(bar.Low.Raw),
            DbnPrice.ToDoubleUnchecked(bar.Close.Raw),
            bar.Volume,
            out candle);
    }

    /// <summary>
    /// Converts a trade into a one-trade candle (open = high = low = close = price, volume = size), with its size as buy
    /// volume when the aggressor was a buyer (<c>side</c> <c>'B'</c>) or sell volume when a seller (<c>'A'</c>).
    /// </summary>
    /// <param name="trade">The trade.</param>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns><see cref="CandleRejection.None"/> on success; otherwise why the trade is not a valid candle.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CandleRejection TryToCandle(in TradeMsg trade, out Candle candle)
    {
        if (!trade.Price.TryGetDouble(out var price))
        {
            candle = default;
            return CandleRejection.NonFinitePrice;
        }

        var seconds = trade.Header.TsEvent / DbnConstants.NanosPerSecond;
        if (seconds > UnixTime.MaxSeconds)
        {
            candle = default;
            return CandleRejection.TimeOutOfRange;
        }

        var side = SideOf(trade);
        return Candle.TryCreate((long)seconds, price, price, price, price, trade.Size, side == AggressorSide.Buy ? trade.Size : 0, side == AggressorSide.Sell ? trade.Size : 0, out candle);
    }

    /// <summary>The aggressor side of a trade: <c>'B'</c> (bid) is a buyer, <c>'A'</c> (ask) a seller, anything else unknown.</summary>
    /// <param name="trade">The trade.</param>
    /// <returns>The side.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AggressorSide SideOf(in TradeMsg trade) => trade.Side switch
    {
        'B' => AggressorSide.Buy,
        'A' => AggressorSide.Sell,
        _ => AggressorSide.Unknown,
    };

    /// <summary>
    /// The aggressor side of a top-of-book trade (a <c>tbbo</c> record, or an <c>mbp-1</c> record whose
    /// <see cref="Mbp1Msg.Action"/> is <c>'T'</c>): <c>'B'</c> is a buyer, <c>'A'</c> a seller, anything else unknown.
    /// </summary>
    /// <param name="record">The record; for an action other than a trade its side is the book side, not an aggressor.</param>
    /// <returns>The side.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AggressorSide SideOf(in Mbp1Msg record) => record.Side switch
    {
        'B' => AggressorSide.Buy,
        'A' => AggressorSide.Sell,
        _ => AggressorSide.Unknown,
    };

    /// <summary>The OrderFlow timeframe of an OHLCV rtype: 1m, 1h or 1d; <see langword="null"/> for 1s and end-of-day bars.</summary>
    /// <param name="rtype">The rtype.</param>
    /// <returns>The timeframe, or <see langword="null"/> when OrderFlow has none.</returns>
    public static Timeframe? TimeframeOf(byte rtype) => rtype switch
    {
        DbnRType.Ohlcv1M => Timeframe.OneMinute,
        DbnRType.Ohlcv1H => Timeframe.OneHour,
        DbnRType.Ohlcv1D => Timeframe.OneDay,
        _ => null,
    };
}
