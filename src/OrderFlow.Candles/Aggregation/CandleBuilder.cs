using System.Runtime.CompilerServices;

namespace OrderFlow.Candles.Aggregation;

/// <summary>
/// A pure OHLCV accumulator: open once, merge candles or trades in time order, build an immutable
/// <see cref="Candle"/>.
/// </summary>
/// <remarks>
/// <para>
/// Merging follows the OHLCV resample: open = first open, high = max, low = min, close = last close,
/// volume = sum, added left to right (so the result is bit-identical to a plain left fold).
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
    private int _count;

    /// <summary>Whether nothing has been added since the builder was created or reset.</summary>
    public readonly bool IsEmpty => _count == 0;

    /// <summary>How many candles or trades have been added.</summary>
    public readonly int Count => _count;

    /// <summary>The open time of the candle being built, in Unix seconds.</summary>
    public readonly long OpenTime => _openTime;

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

        return Candle.FromTrusted(_openTime, _open, _high, _low, _close, _volume);
    }

    /// <summary>Empties the builder.</summary>
    public void Reset() => this = default;
}
