using System.Buffers;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Flow;

/// <summary>Batch order-flow candles: trades into candles with their buy and sell volumes.</summary>
/// <remarks>
/// OHLCV is built as everywhere else (first price, highest, lowest, last, summed size); each trade's size also counts
/// as buy or sell volume by its aggressor side. Coarser order-flow candles come from
/// <see cref="Aggregation.CandleAggregation"/>, which sums the buy and sell volumes too, so the delta of an aggregate
/// is the sum of the deltas (exactly, for whole-number sizes such as futures contracts).
/// </remarks>
public static class FlowAggregation
{
    /// <summary>Builds the flow candles of <paramref name="timeframe"/> from trades in time order.</summary>
    /// <param name="trades">The trades, in time order.</param>
    /// <param name="timeframe">The candles' timeframe.</param>
    /// <param name="rejections">Where rejected trades (invalid, or out of order) are counted; <see langword="null"/> to ignore them.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The candles, ascending.</returns>
    public static Candle[] FromTrades(ReadOnlySpan<Trade> trades, Timeframe timeframe, CandleRejectionCounts? rejections = null, CandleAlignment? alignment = null)
    {
        var aggregator = new TradeAggregator(timeframe, alignment);
        var buffer = ArrayPool<Candle>.Shared.Rent(Math.Max(16, Math.Min(trades.Length, 1 << 16)));
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
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    private static void Append(ref Candle[] buffer, ref int count, in Candle candle)
    {
        if (count == buffer.Length)
        {
            var bigger = ArrayPool<Candle>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, count).CopyTo(bigger);
            ArrayPool<Candle>.Shared.Return(buffer);
            buffer = bigger;
        }

        buffer[count++] = candle;
    }
}
