using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Aggregation;

/// <summary>
/// Streaming aggregation: live candles of a fine timeframe update the candle of a coarser timeframe in place.
/// </summary>
/// <remarks>
/// <para>
/// Feed it every update of the fine series (a live 1m candle is typically updated many times before its minute
/// closes). Repeated updates of the same fine candle replace it, so volume is never counted twice. The result
/// equals <see cref="CandleAggregation.Aggregate(ReadOnlySpan{Candle}, Timeframe, Timeframe, CandleAlignment?)"/>
/// of the final fine series, bit for bit.
/// </para>
/// <para>
/// The fine candles of the current bucket are held (at most target/source of them, 1,440 for 1m → 1d), and the
/// ones before the latest are folded once into a prefix, so the usual update (the latest fine candle, or a new one)
/// costs O(1). An update to an earlier fine candle of the current bucket refolds the bucket. An update to a bucket
/// that has closed is rejected as <see cref="CandleRejection.Late"/>. Not thread-safe.
/// </para>
/// </remarks>
public sealed class TimeframeAggregator
{
    private readonly CandleAlignment? _alignment;
    private readonly List<Candle> _fine;
    private CandleBuilder _prefix;
    private long _bucketStart = long.MinValue;
    private long _bucketEnd = long.MinValue;

    /// <summary>Creates an aggregator from <paramref name="source"/> candles into <paramref name="target"/> candles.</summary>
    /// <param name="source">The fine timeframe.</param>
    /// <param name="target">The coarse timeframe; a whole multiple of <paramref name="source"/>.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a multiple of <paramref name="source"/>.</exception>
    public TimeframeAggregator(Timeframe source, Timeframe target, CandleAlignment? alignment = null)
    {
        CandleAggregation.CheckTimeframes(source, target);
        Source = source;
        Target = target;
        _alignment = alignment is { IsSessionAnchored: true } ? alignment : null;
        _fine = new List<Candle>(Math.Min(target.Seconds / source.Seconds, 64));
    }

    /// <summary>The fine timeframe.</summary>
    public Timeframe Source { get; }

    /// <summary>The coarse timeframe.</summary>
    public Timeframe Target { get; }

    /// <summary>Whether a coarse candle has been started.</summary>
    public bool HasCurrent => _fine.Count > 0;

    /// <summary>The coarse candle of the current bucket, as of the last update.</summary>
    /// <exception cref="InvalidOperationException">No candle has been accepted yet (<see cref="HasCurrent"/> is false).</exception>
    public Candle Current
    {
        get
        {
            if (_fine.Count == 0)
            {
                ThrowHelper.ThrowInvalidOperation("The aggregator has no current candle yet.");
            }

            var builder = _prefix;
            builder.Merge(_fine[^1]);
            return builder.IsEmpty ? default : WithBucketTime(builder.Build());
        }
    }

    /// <summary>Applies an update of a fine candle.</summary>
    /// <param name="fine">The fine candle (new or updated).</param>
    /// <returns><see cref="CandleRejection.None"/>, or <see cref="CandleRejection.Late"/> when its bucket has closed.</returns>
    public CandleRejection Update(in Candle fine)
    {
        var time = fine.OpenTime;
        if (time >= _bucketEnd)
        {
            StartBucket(time);
            _fine.Add(fine);
            return CandleRejection.None;
        }

        if (time < _bucketStart)
        {
            return CandleRejection.Late;
        }

        var lastTime = _fine[^1].OpenTime;
        if (time > lastTime)
        {
            _prefix.Merge(_fine[^1]);
            _fine.Add(fine);
        }
        else if (time == lastTime)
        {
            _fine[^1] = fine;
        }
        else
        {
            // A correction inside the bucket: place it, then refold everything before the latest candle.
            var index = BinarySearch(time);
            if (index >= 0)
            {
                _fine[index] = fine;
            }
            else
            {
                _fine.Insert(~index, fine);
            }

            _prefix.Reset();
            for (var i = 0; i < _fine.Count - 1; i++)
            {
                _prefix.Merge(_fine[i]);
            }
        }

        return CandleRejection.None;
    }

    /// <summary>Forgets the current bucket.</summary>
    public void Reset()
    {
        _fine.Clear();
        _prefix.Reset();
        _bucketStart = _bucketEnd = long.MinValue;
    }

    private void StartBucket(long time)
    {
        if (_alignment is null)
        {
            _bucketStart = Target.Floor(time);
            _bucketEnd = _bucketStart + Target.Seconds;
        }
        else
        {
            var bucket = _alignment.GetBucket(time, Target);
            _bucketStart = bucket.Start;
            _bucketEnd = bucket.End;
        }

        _fine.Clear();
        _prefix.Reset();
    }

    private Candle WithBucketTime(Candle candle) =>
        candle.OpenTime == _bucketStart ? candle : candle.WithOpenTime(_bucketStart);

    private int BinarySearch(long time)
    {
        int lo = 0, hi = _fine.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = _fine[mid].OpenTime;
            if (t == time)
            {
                return mid;
            }

            if (t < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
