namespace OrderFlow.Candles.Book;

/// <summary>
/// The candles of one chart: strictly ascending open times, upserted by open time, trimmed from the front, with a
/// version that grows on every change.
/// </summary>
/// <remarks>
/// The live end is the hot one (a live update replaces or appends the newest candle), and the old end only ever
/// loses candles (window and depth), so the candles sit in one array from <c>_start</c>: trimming the front moves an
/// index, not a year of candles. It also keeps what changed since the last <see cref="TakeChanges"/>, so a writer can
/// send a stored copy only that. Not thread-safe.
/// </remarks>
internal sealed class ChartBuffer
{
    private Candle[] _items = [];
    private int _start;
    private int _count;

    // Since the last TakeChanges: reset (replaced whole, or never taken), candles dropped from the front, and the
    // index (now) of the first candle that may differ, int.MaxValue for none.
    private bool _reset = true;
    private int _dropped;
    private int _firstChanged = int.MaxValue;

    public int Count => _count;

    /// <summary>Grows by one on every change; writers compare it with the version they last stored.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<Candle> Span => _items.AsSpan(_start, _count);

    public Candle this[int index] => _items[_start + index];

    public Candle First => _items[_start];

    public Candle Last => _items[_start + _count - 1];

    /// <summary>
    /// Replaces the contents; the buffer takes ownership of <paramref name="candles"/>. What changed is kept as for
    /// single changes when the new candles line up with the old (<see cref="ChartChanges.Between"/>: an hourly history
    /// merge that settles the last few candles is a few candles to send, not the chart); otherwise it is a reset.
    /// </summary>
    public void Set(Candle[] candles)
    {
        var changes = ChartChanges.Between(Span, candles);
        _items = candles;
        _start = 0;
        _count = candles.Length;
        Version++;
        if (changes.IsReset)
        {
            _reset = true;
            return;
        }

        TrackDrop(changes.Dropped);
        _firstChanged = Math.Min(_firstChanged, changes.FirstChanged);
    }

    /// <summary>What changed since the last call (the first call, or one after <see cref="Set"/>: a reset), and starts again.</summary>
    public ChartChanges TakeChanges()
    {
        var changes = _reset ? new ChartChanges(true, 0, 0) : new ChartChanges(false, _dropped, Math.Min(_firstChanged, _count));
        _reset = false;
        _dropped = 0;
        _firstChanged = int.MaxValue;
        return changes;
    }

    /// <summary>Replaces the candle with the same open time, or inserts it in order. True when the chart changed.</summary>
    public bool Upsert(in Candle candle)
    {
        var index = LowerBound(candle.OpenTime);
        if (index < _count && this[index].OpenTime == candle.OpenTime)
        {
            if (this[index] == candle)
            {
                return false;
            }

            _items[_start + index] = candle;
            Version++;
            _firstChanged = Math.Min(_firstChanged, index);
            return true;
        }

        MakeRoomAtEnd();
        var at = _start + index;
        Array.Copy(_items, at, _items, at + 1, _count - index);
        _items[at] = candle;
        _count++;
        Version++;
        _firstChanged = Math.Min(_firstChanged, index);
        return true;
    }

    /// <summary>Drops the candles opening before <paramref name="openTime"/>. True when any was dropped.</summary>
    public bool TrimBefore(long openTime) => DropFirst(LowerBound(openTime));

    /// <summary>Keeps the newest <paramref name="count"/> candles. True when any was dropped.</summary>
    public bool KeepLast(int count) => DropFirst(_count - count);

    /// <summary>The index of the first candle opening at or after <paramref name="openTime"/>.</summary>
    public int LowerBound(long openTime)
    {
        // Live updates touch the last few candles: look there first, then search the rest.
        var end = _start + _count;
        var stop = Math.Max(_start, end - 8);
        var i = end;
        while (i > stop && _items[i - 1].OpenTime >= openTime)
        {
            i--;
        }

        if (i > stop || i == _start)
        {
            return i - _start;
        }

        int lo = 0, hi = i - _start;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[_start + mid].OpenTime < openTime)
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

    /// <summary>The candles opening in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public ReadOnlySpan<Candle> Range(long from, long to)
    {
        var first = LowerBound(from);
        return Span[first..LowerBound(to)];
    }

    public bool TryGet(long openTime, out Candle candle)
    {
        var index = LowerBound(openTime);
        if (index < _count && this[index].OpenTime == openTime)
        {
            candle = this[index];
            return true;
        }

        candle = default;
        return false;
    }

    public Candle[] ToArray() => Span.ToArray();

    private bool DropFirst(int n)
    {
        if (n <= 0)
        {
            return false;
        }

        _start += n;
        _count -= n;
        Version++;
        TrackDrop(n);
        return true;
    }

    private void TrackDrop(int n)
    {
        if (n <= _firstChanged)
        {
            // Only candles the writer's copy has, unchanged, were dropped; the first changed one shifts down.
            _dropped += n;
            _firstChanged = _firstChanged == int.MaxValue ? int.MaxValue : _firstChanged - n;
        }
        else
        {
            // The drop reached past the first change (into candles inserted or replaced since): of the copy, the
            // unchanged ones before it are gone, and everything now left counts as changed.
            _dropped += _firstChanged;
            _firstChanged = 0;
        }
    }

    private void MakeRoomAtEnd()
    {
        if (_start + _count < _items.Length)
        {
            return;
        }

        if (_start > 0 && _start >= _count / 4)
        {
            // A quarter of the array trimmed away at the front: reuse it rather than grow.
            Array.Copy(_items, _start, _items, 0, _count);
            Array.Clear(_items, _count, _start);
            _start = 0;
            return;
        }

        var grown = new Candle[Math.Max(16, _count + (_count / 4))];
        Array.Copy(_items, _start, grown, 0, _count);
        _items = grown;
        _start = 0;
    }
}
