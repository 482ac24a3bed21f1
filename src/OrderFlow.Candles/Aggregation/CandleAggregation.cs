using System.Buffers;
using System.Runtime.CompilerServices;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Aggregation;

/// <summary>
/// Batch aggregation of a candle series into a coarser timeframe (1m → 5m, 15m, 1h, 4h, 1d; 5m → 15m, 1h …).
/// </summary>
/// <remarks>
/// For each bucket <c>[start, end)</c> of the target timeframe: open = first open, high = max, low = min,
/// close = last close, volume = sum (left to right), time = bucket start. Empty buckets produce no candle.
/// <see cref="TimeframeAggregator"/> is the streaming form and gives identical results.
/// </remarks>
public static class CandleAggregation
{
    /// <summary>Aggregates an ascending series into <paramref name="target"/>.</summary>
    /// <param name="source">Candles of <paramref name="sourceTimeframe"/>, strictly ascending by open time (as <see cref="CandleSeries"/> produces).</param>
    /// <param name="sourceTimeframe">The timeframe of <paramref name="source"/>.</param>
    /// <param name="target">The coarser timeframe; a whole multiple of <paramref name="sourceTimeframe"/>.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The aggregated candles, ascending; the only allocation is this array.</returns>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a multiple of <paramref name="sourceTimeframe"/>, or <paramref name="source"/> is not strictly ascending (the message gives the index).</exception>
    public static Candle[] Aggregate(ReadOnlySpan<Candle> source, Timeframe sourceTimeframe, Timeframe target, CandleAlignment? alignment = null)
    {
        if (source.IsEmpty)
        {
            CheckTimeframes(sourceTimeframe, target);
            return [];
        }

        var buffer = ArrayPool<Candle>.Shared.Rent(source.Length);
        try
        {
            var written = Aggregate(source, sourceTimeframe, target, buffer, alignment);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    /// <summary>Aggregates an ascending series into <paramref name="target"/>, writing into <paramref name="destination"/>; allocates nothing.</summary>
    /// <param name="source">Candles of <paramref name="sourceTimeframe"/>, strictly ascending by open time.</param>
    /// <param name="sourceTimeframe">The timeframe of <paramref name="source"/>.</param>
    /// <param name="target">The coarser timeframe; a whole multiple of <paramref name="sourceTimeframe"/>.</param>
    /// <param name="destination">Where to write; <c>source.Length</c> elements always suffice.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>How many candles were written.</returns>
    /// <exception cref="ArgumentException">The timeframes do not divide, <paramref name="source"/> is not strictly ascending, or <paramref name="destination"/> is too small.</exception>
    public static int Aggregate(ReadOnlySpan<Candle> source, Timeframe sourceTimeframe, Timeframe target, Span<Candle> destination, CandleAlignment? alignment = null)
    {
        CheckTimeframes(sourceTimeframe, target);
        return source.IsEmpty ? 0 : AggregateCore(source, target, destination, alignment);
    }

    // Kept out of line so that callers' inlining (the pooled-array overload) does not crowd out the loop's own helpers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int AggregateCore(ReadOnlySpan<Candle> source, Timeframe target, Span<Candle> destination, CandleAlignment? alignment)
    {

        var epoch = alignment is null || !alignment.IsSessionAnchored;
        long length = target.Seconds;
        var written = 0;
        long bucketEnd = long.MinValue;
        long previousTime = long.MinValue;
        long openTime = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, buy = 0, sell = 0;
        for (var i = 0; i < source.Length; i++)
        {
            ref readonly var candle = ref source[i];
            var time = candle.OpenTime;
            if (time <= previousTime)
            {
                ThrowNotAscending(i, time, previousTime);
            }

            previousTime = time;
            if (time < bucketEnd)
            {
                // Branch-free: whether a minute makes a new high is random, so a branch here mispredicts often.
                // Prices are never NaN, so the native min/max give Math.Max's results.
                high = double.MaxNative(high, candle.High);
                low = double.MinNative(low, candle.Low);
                close = candle.Close;
                volume += candle.Volume;
                buy += candle.BuyVolume;
                sell += candle.SellVolume;
                continue;
            }

            if (i > 0)
            {
                Emit(destination, ref written, Candle.FromTrusted(openTime, open, high, low, close, volume, buy, sell));
            }

            if (epoch)
            {
                // Contiguous data opens the adjacent bucket: no division needed.
                openTime = time < bucketEnd + length && i > 0 ? bucketEnd : target.Floor(time);
                bucketEnd = openTime + length;
            }
            else
            {
                var bucket = alignment!.GetBucket(time, target);
                openTime = bucket.Start;
                bucketEnd = bucket.End;
            }

            open = candle.Open;
            high = candle.High;
            low = candle.Low;
            close = candle.Close;
            volume = candle.Volume;
            buy = candle.BuyVolume;
            sell = candle.SellVolume;
        }

        Emit(destination, ref written, Candle.FromTrusted(openTime, open, high, low, close, volume, buy, sell));
        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(Span<Candle> destination, ref int written, in Candle candle)
    {
        if ((uint)written >= (uint)destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} candles, which is too few; source.Length always suffices.");
        }

        destination[written++] = candle;
    }

    internal static void CheckTimeframes(Timeframe source, Timeframe target)
    {
        if (!source.Divides(target))
        {
            ThrowHelper.ThrowArgument(nameof(target), $"Cannot aggregate {source} candles into {target}: {target} is not a whole multiple of {source}.");
        }
    }

    private static void ThrowNotAscending(int index, long time, long previous) =>
        ThrowHelper.ThrowArgument("source", $"The source must be strictly ascending by open time (normalise it with CandleSeries first): source[{index}] opens at {time}, not after {previous}.");
}
