using System.Buffers;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Flow;

/// <summary>Batch order-flow candles: trades into candles, and candles into a coarser timeframe.</summary>
/// <remarks>
/// Both keep OHLCV exactly as <see cref="Aggregation.CandleAggregation"/> does (first open, highest high, lowest low,
/// last close, summed volume) and sum the buy and sell volumes, so the delta of an aggregate is the sum of the deltas
/// (exactly, for whole-number sizes such as futures contracts).
/// </remarks>
public static class FlowAggregation
{
    /// <summary>Builds the flow candles of <paramref name="timeframe"/> from trades in time order.</summary>
    /// <param name="trades">The trades, in time order.</param>
    /// <param name="timeframe">The candles' timeframe.</param>
    /// <param name="rejections">Where rejected trades (invalid, or out of order) are counted; <see langword="null"/> to ignore them.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The candles, ascending.</returns>
    public static FlowCandle[] FromTrades(ReadOnlySpan<Trade> trades, Timeframe timeframe, CandleRejectionCounts? rejections = null, CandleAlignment? alignment = null)
    {
        var aggregator = new TradeAggregator(timeframe, alignment);
        var buffer = ArrayPool<FlowCandle>.Shared.Rent(Math.Max(16, Math.Min(trades.Length, 1 << 16)));
        var count = 0;
        try
        {
            foreach (ref readonly var trade in trades)
            {
                aggregator.Add(trade);
                if (aggregator.TryTakeCompleted(out var done))
                {
                    Append(ref buffer, ref count, done);
                }
            }

            if (aggregator.TryFlush(out var last))
            {
                Append(ref buffer, ref count, last);
            }

            rejections?.AddAll(aggregator.Rejections);
            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<FlowCandle>.Shared.Return(buffer);
        }
    }

    /// <summary>Aggregates ascending flow candles into the coarser <paramref name="target"/> timeframe.</summary>
    /// <param name="source">Flow candles of <paramref name="sourceTimeframe"/>, strictly ascending by open time.</param>
    /// <param name="sourceTimeframe">Their timeframe.</param>
    /// <param name="target">A whole multiple of <paramref name="sourceTimeframe"/>.</param>
    /// <param name="destination">Where to write; <c>source.Length</c> elements always suffice.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>How many candles were written.</returns>
    /// <exception cref="ArgumentException">The timeframes do not divide, the source is not strictly ascending, or the destination is too small.</exception>
    public static int Aggregate(ReadOnlySpan<FlowCandle> source, Timeframe sourceTimeframe, Timeframe target, Span<FlowCandle> destination, CandleAlignment? alignment = null)
    {
        if (target <= sourceTimeframe || !sourceTimeframe.Divides(target))
        {
            throw new ArgumentException($"{target} is not a coarser multiple of {sourceTimeframe}.", nameof(target));
        }

        var session = alignment is { IsSessionAnchored: true } ? alignment : null;
        var builder = default(FlowCandleBuilder);
        var bucket = default(CandleBucket);
        var previous = long.MinValue;
        var written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            ref readonly var candle = ref source[i];
            var time = candle.OpenTime;
            if (time <= previous)
            {
                throw new ArgumentException($"The source is not strictly ascending at index {i} ({time} after {previous}).", nameof(source));
            }

            previous = time;
            if (builder.IsEmpty || time >= bucket.End)
            {
                if (!builder.IsEmpty)
                {
                    Emit(destination, ref written, builder.Build());
                    builder.Reset();
                }

                bucket = session is null ? new CandleBucket(target.Floor(time), target.Floor(time) + target.Seconds) : session.GetBucket(time, target);
            }

            builder.Add(bucket.Start, candle);
        }

        if (!builder.IsEmpty)
        {
            Emit(destination, ref written, builder.Build());
        }

        return written;
    }

    /// <summary>Aggregates ascending flow candles into the coarser <paramref name="target"/> timeframe.</summary>
    /// <param name="source">Flow candles of <paramref name="sourceTimeframe"/>, strictly ascending by open time.</param>
    /// <param name="sourceTimeframe">Their timeframe.</param>
    /// <param name="target">A whole multiple of <paramref name="sourceTimeframe"/>.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The aggregated candles, ascending.</returns>
    /// <exception cref="ArgumentException">The timeframes do not divide, or the source is not strictly ascending.</exception>
    public static FlowCandle[] Aggregate(ReadOnlySpan<FlowCandle> source, Timeframe sourceTimeframe, Timeframe target, CandleAlignment? alignment = null)
    {
        var buffer = ArrayPool<FlowCandle>.Shared.Rent(Math.Max(1, source.Length));
        try
        {
            var written = Aggregate(source, sourceTimeframe, target, buffer, alignment);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<FlowCandle>.Shared.Return(buffer);
        }
    }

    private static void Emit(Span<FlowCandle> destination, ref int written, in FlowCandle candle)
    {
        if ((uint)written >= (uint)destination.Length)
        {
            throw new ArgumentException("The destination is too small.", nameof(destination));
        }

        destination[written++] = candle;
    }

    private static void Append(ref FlowCandle[] buffer, ref int count, in FlowCandle candle)
    {
        if (count == buffer.Length)
        {
            var bigger = ArrayPool<FlowCandle>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, count).CopyTo(bigger);
            ArrayPool<FlowCandle>.Shared.Return(buffer);
            buffer = bigger;
        }

        buffer[count++] = candle;
    }
}
