using System.Runtime.CompilerServices;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Flow;

/// <summary>
/// Builds order-flow candles (<see cref="Candle"/> with <see cref="Candle.BuyVolume"/> and <see cref="Candle.SellVolume"/>) of one timeframe from a stream of trades: each trade goes into the candle of its bucket,
/// and a trade of a later bucket completes the current candle. Allocates nothing per trade.
/// </summary>
/// <remarks>
/// Trades must come in time order; a trade older than the current bucket is rejected as
/// <see cref="CandleRejection.Late"/> (its volume cannot be added to a candle already handed out). Invalid trades are
/// rejected with their reason. Every rejection is counted in <see cref="Rejections"/>. Not thread-safe.
/// </remarks>
public sealed class TradeAggregator
{
    private readonly CandleAlignment? _alignment;
    private Aggregation.CandleBuilder _current;
    private CandleBucket _bucket;
    private Candle _completed;
    private bool _hasCompleted;

    /// <summary>Creates an aggregator for <paramref name="timeframe"/>.</summary>
    /// <param name="timeframe">The candles' timeframe.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    public TradeAggregator(Timeframe timeframe, CandleAlignment? alignment = null)
    {
        Timeframe = timeframe;
        _alignment = alignment is { IsSessionAnchored: true } ? alignment : null;
    }

    /// <summary>The candles' timeframe.</summary>
    public Timeframe Timeframe { get; }

    /// <summary>Whether a candle is being built.</summary>
    public bool HasCurrent => !_current.IsEmpty;

    /// <summary>The candle being built (its values so far).</summary>
    /// <exception cref="InvalidOperationException">No trade has been added yet.</exception>
    public Candle Current => _current.Build();

    /// <summary>Trades rejected so far, by reason.</summary>
    public CandleRejectionCounts Rejections { get; } = new();

    /// <summary>Trades accepted so far.</summary>
    public long Accepted { get; private set; }

    /// <summary>Adds a trade.</summary>
    /// <param name="trade">The trade.</param>
    /// <returns><see cref="CandleRejection.None"/> when it was added; otherwise why not (it is counted).</returns>
    /// <remarks>When the trade opens a new bucket, the previous candle is complete: take it with <see cref="TryTakeCompleted"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CandleRejection Add(in Trade trade)
    {
        var rejection = trade.Validate();
        if (rejection != CandleRejection.None)
        {
            return Reject(rejection);
        }

        var seconds = trade.EventTimeMs / 1000;
        if (_current.IsEmpty || seconds >= _bucket.End)
        {
            if (!_current.IsEmpty)
            {
                _completed = _current.Build();
                _hasCompleted = true;
                _current.Reset();
            }

            _bucket = _alignment is null ? new CandleBucket(Timeframe.Floor(seconds), Timeframe.Floor(seconds) + Timeframe.Seconds) : _alignment.GetBucket(seconds, Timeframe);
        }
        else if (seconds < _bucket.Start)
        {
            return Reject(CandleRejection.Late);
        }

        _current.Add(_bucket.Start, trade);
        Accepted++;
        return CandleRejection.None;
    }

    /// <summary>Takes the candle the last trade completed, once.</summary>
    /// <param name="completed">The completed candle.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryTakeCompleted(out Candle completed)
    {
        completed = _completed;
        var had = _hasCompleted;
        _hasCompleted = false;
        return had;
    }

    /// <summary>Completes the current candle (at the end of a stream) and starts afresh.</summary>
    /// <param name="last">The candle that was being built.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryFlush(out Candle last)
    {
        if (_current.IsEmpty)
        {
            last = default;
            return false;
        }

        last = _current.Build();
        _current.Reset();
        return true;
    }

    private CandleRejection Reject(CandleRejection rejection)
    {
        Rejections.Add(rejection);
        return rejection;
    }
}
