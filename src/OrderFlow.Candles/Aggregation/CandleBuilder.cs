using System.Runtime.CompilerServices;

namespace OrderFlow.Candles.Aggregation;

/// <summary>
/// A pure OHLCV accumulator: open once, merge candles or trades in time order, build an immutable
/// <see cref="Candle"/>.
/// </summary>
/// <remarks>
/// <para>
/// Merging follows the OHLCV resample: open = first open, high = max, low = min, close = last close,
/// volume = sum, added left to right (so the result is bit-identical to a plain left fold); the buy and sell volumes
/// are summed the same way, so the delta of the result is the sum of the deltas.
/// </para>
/// <para>
/// A mutable struct, for hot paths: keep it in a field or local and update it through that variable (a copy
/// updates the copy). No allocation, no exception on the hot path. The default value is empty
/// (<see cref="IsEmpty"/>). Not thread-safe.
/// </para>
/// </remarks>
public struct CandleBuilder
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

    /// <summary>Whether nothing has been added since the builder was created or reset.</summary>
    public readonly bool IsEmpty => _count == 0;

    /// <summary>How many candles or trades have been added.</summary>
    public readonly int Count => _count;

    /// <summary>The open time of the candle being built, in Unix seconds.</summary>
    public readonly long OpenTime => _openTime;

    /// <summary>The buy minus sell volume so far (see <see cref="Candle.Delta"/>).</summary>
    public readonly double Delta => _buy - _sell;

    /// <summary>Starts a candle at <paramref name="openTime"/> from a first candle's values.</summary>
    /// <param name="openTime">The bucket's open time in Unix seconds (the first candle's own time is ignored).</param>
    /// <param name="first">The first candle of the bucket.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Open(long openTime, in Candle first)
    {
        _openTime = openTime;
        _open = first.Open;
        _high = first.High;
        _low = first.Low;
        _close = first.Close;
        _volume = first.Volume;
        _buy = first.BuyVolume;
        _sell = first.SellVolume;
        _count = 1;
    }

    /// <summary>Merges the next candle of the bucket (in time order); opens the bucket at its time when empty.</summary>
    /// <param name="next">The next candle.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Merge(in Candle next)
    {
        if (_count == 0)
        {
            Open(next.OpenTime, next);
            return;
        }

        _high = double.MaxNative(_high, next.High);
        _low = double.MinNative(_low, next.Low);

        _close = next.Close;
        _volume += next.Volume;
        _buy += next.BuyVolume;
        _sell += next.SellVolume;
        _count++;
    }

    /// <summary>
    /// Adds a trade (in time order): the first opens the candle at <paramref name="openTime"/>; its size counts as buy
    /// or sell volume by its aggressor side. The caller has validated it (<see cref="Flow.Trade.Validate"/>) and chosen the bucket.
    /// </summary>
    /// <param name="openTime">The bucket's open time in Unix seconds; used when this is the first trade.</param>
    /// <param name="trade">The trade.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long openTime, in Flow.Trade trade)
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
        _buy += trade.Side == Flow.AggressorSide.Buy ? size : 0;
        _sell += trade.Side == Flow.AggressorSide.Sell ? size : 0;
        _count++;
    }

    /// <summary>Merges the accumulated values of another builder that covers a later part of the same bucket.</summary>
    /// <param name="later">A non-empty builder whose contents come after this one's.</param>
    public void Merge(in CandleBuilder later)
    {
        if (later._count == 0)
        {
            return;
        }

        Merge(later.Build());
    }

    /// <summary>Builds the candle.</summary>
    /// <returns>The candle accumulated so far.</returns>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public readonly Candle Build()
    {
        if (_count == 0)
        {
            ThrowHelper.ThrowInvalidOperation("The candle builder is empty: open it or merge a candle first.");
        }

        return Candle.FromTrusted(_openTime, _open, _high, _low, _close, _volume, _buy, _sell);
    }

    /// <summary>Empties the builder.</summary>
    public void Reset() => this = default;
}
