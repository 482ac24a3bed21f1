namespace OrderFlow.Candles.Live;

/// <summary>
/// A fixed-capacity ring of candles in ascending time order; adding to a full ring drops the oldest.
/// </summary>
internal sealed class CandleRing
{
    private readonly Candle[] _items;
    private int _head;
    private int _count;

    public CandleRing(int capacity) => _items = new Candle[Math.Max(capacity, 0)];

    public int Count => _count;

    public int Capacity => _items.Length;

    /// <summary>The candle at <paramref name="index"/>, 0 being the oldest held.</summary>
    public Candle this[int index]
    {
        get => _items[Physical(index)];
        set => _items[Physical(index)] = value;
    }

    public void Add(in Candle candle)
    {
        if (_items.Length == 0)
        {
            return;
        }

        if (_count < _items.Length)
        {
            _items[Physical(_count)] = candle;
            _count++;
        }
        else
        {
            _items[_head] = candle;
            _head = (_head + 1) % _items.Length;
        }
    }

    public void Clear()
    {
        _head = 0;
        _count = 0;
    }

    /// <summary>The index of the candle that opens at <paramref name="openTime"/>, or -1.</summary>
    public int IndexOf(long openTime)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = this[mid].OpenTime;
            if (t == openTime)
            {
                return mid;
            }

            if (t < openTime)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    public int CopyTo(Span<Candle> destination)
    {
        var n = Math.Min(_count, destination.Length);
        var skip = _count - n;
        for (var i = 0; i < n; i++)
        {
            destination[i] = this[skip + i];
        }

        return n;
    }

    private int Physical(int index) => (_head + index) % _items.Length;
}
