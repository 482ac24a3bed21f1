using System.Runtime.CompilerServices;

namespace OrderFlow.Candles.Flow;

/// <summary>
/// Accumulates trades, or finer flow candles, into one flow candle: open of the first, high/low of all, close of the
/// last, and the sums of volume, buy volume and sell volume. A mutable value type: keep it in a field or a local and
/// pass it by reference.
/// </summary>
public struct FlowCandleBuilder
{
    private long _openTime;
    private double _open;
    private double _high;
    private double _low;
    private double _close;
    private double _volume;
    private double _buy;
    private double _sell;
    private int _count;

    /// <summary>Whether nothing has been added since the last <see cref="Reset"/>.</summary>
    public readonly bool IsEmpty => _count == 0;

    /// <summary>How many trades or candles were added.</summary>
    public readonly int Count => _count;

    /// <summary>The open time (Unix seconds) of the candle being built.</summary>
    public readonly long OpenTime => _openTime;

    /// <summary>The buy minus sell volume so far.</summary>
    public readonly double Delta => _buy - _sell;

    /// <summary>Adds a trade. The caller has validated it (<see cref="Trade.Validate"/>) and chosen the bucket.</summary>
    /// <param name="openTime">The open time of the bucket (Unix seconds); used when this is the first trade.</param>
    /// <param name="trade">The trade.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long openTime, in Trade trade)
    {
        var price = trade.Price;
        if (_count == 0)
        {
            _openTime = openTime;
            _open = _high = _low = price;
        }
        else
        {
            _high = double.MaxNative(_high, price);
            _low = double.MinNative(_low, price);
        }

        _close = price;
        var size = trade.Size;
        _volume += size;

        // Branch-free: the side is as random as the price move.
        _buy += trade.Side == AggressorSide.Buy ? size : 0;
        _sell += trade.Side == AggressorSide.Sell ? size : 0;
        _count++;
    }

    /// <summary>Adds a finer flow candle (ascending order).</summary>
    /// <param name="openTime">The open time of the bucket (Unix seconds); used when this is the first candle.</param>
    /// <param name="candle">The finer candle.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long openTime, in FlowCandle candle)
    {
        var c = candle.Candle;
        if (_count == 0)
        {
            _openTime = openTime;
            _open = c.Open;
            _high = c.High;
            _low = c.Low;
        }
        else
        {
            _high = double.MaxNative(_high, c.High);
            _low = double.MinNative(_low, c.Low);
        }

        _close = c.Close;
        _volume += c.Volume;
        _buy += candle.BuyVolume;
        _sell += candle.SellVolume;
        _count++;
    }

    /// <summary>The flow candle built so far.</summary>
    /// <returns>The candle.</returns>
    /// <exception cref="InvalidOperationException">Nothing was added.</exception>
    public readonly FlowCandle Build()
    {
        if (_count == 0)
        {
            ThrowHelper.ThrowInvalidOperation("The flow candle builder is empty: add a trade or a candle first.");
        }

        // Sums of the same non-negative terms in the same order: buy + sell ≤ volume holds unless rounding says
        // otherwise by an ulp; clamp so the invariant is exact.
        var buy = _buy;
        var sell = double.MinNative(_sell, _volume - buy);
        return FlowCandle.FromTrusted(Candle.FromTrusted(_openTime, _open, _high, _low, _close, _volume), buy, double.MaxNative(sell, 0));
    }

    /// <summary>Empties the builder.</summary>
    public void Reset() => this = default;
}
