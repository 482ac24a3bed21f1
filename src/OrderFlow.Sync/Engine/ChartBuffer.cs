using OrderFlow.Candles;

namespace OrderFlow.Sync.Engine;

/// <summary>The chart of one series: strictly ascending candles, upserted by open time, with a change version.</summary>
/// <remarks>Not thread-safe: the engine guards it with its lock.</remarks>
internal sealed class ChartBuffer
{
    private Candle[] _items = [];
    private int _count;

    public int Count => _count;

    /// <summary>Grows by one on every change; the chart writer compares it with the version it last stored.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<Candle> Span => _items.AsSpan(0, _count);

    public Candle this[int index] => _items[index];

    /// <summary>Replaces the contents; the buffer takes ownership of <paramref name="candles"/>.</summary>
    public void Set(Candle[] candles)
    {
        _items = candles;
        _count = candles.Length;
        Version++;
    }

    /// <summary>Replaces the candle with the same open time, or inserts it in order.</summary>
    public void Upsert(in Candle candle)
    {
        if (_count > 0 && _items[_count - 1].OpenTime == candle.OpenTime)
        {
            if (_items[_count - 1] != candle)
            {
                _items[_count - 1] = candle;
                Version++;
            }

            return;
        }

        var index = _count == 0 || candle.OpenTime > _items[_count - 1].OpenTime ? _count : LowerBound(candle.OpenTime);
        if (index < _count && _items[index].OpenTime == candle.OpenTime)
        {
            if (_items[index] != candle)
            {
                _items[index] = candle;
                Version++;
            }

            return;
        }

        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(16, _count + (_count / 4)));
        }

        Array.Copy(_items, index, _items, index + 1, _count - index);
        _items[index] = candle;
        _count++;
        Version++;
    }

    /// <summary>Drops the candles opening before <paramref name="openTime"/>.</summary>
    public void TrimBefore(long openTime)
    {
        var index = LowerBound(openTime);
        if (index == 0)
        {
            return;
        }

        Array.Copy(_items, index, _items, 0, _count - index);
        _count -= index;
        Version++;
    }

    /// <summary>The index of the first candle opening at or after <paramref name="openTime"/>.</summary>
    public int LowerBound(long openTime)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[mid].OpenTime < openTime)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public Candle[] ToArray() => Span.ToArray();
}
