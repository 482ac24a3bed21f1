using System.Globalization;
using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <summary>
/// The queue between the feed's reader loop and its one consumer, with the client's backpressure policy: the reader
/// never waits, and every kind of event is bounded. A live candle update supersedes a still-queued update of the same
/// series and open time; past the candle capacity it supersedes the series' queued update whatever its open time (the
/// newest candle of a series is never lost; the superseded one is reported as dropped). Ticks queue up to a capacity,
/// after which they are dropped, counted and reported as one <see cref="MarketDataEventKind.LiveGap"/>. Server errors
/// queue up to a small capacity. Control events are never dropped, and bounded all the same: a history answer is merged
/// with one of its series still queued (the client bounds answers by its pending requests too), and a run of 64 connection
/// states with nothing between them (a consumer stalled through a reconnect storm) is kept to the three it acts on.
/// </summary>
/// <remarks>
/// <para>
/// <b>Order is never changed.</b> A superseding update takes its turn at the tail, where it arrived, and the superseded
/// one leaves a hole that the consumer skips. Replacing the queued update in place would move the newer candle ahead
/// of the ticks queued after the old one, which it already counts: the consumer would apply the candle, then add those
/// ticks to it a second time, and when that update was a minute's final one nothing would correct the volume.
/// (Where the queued update is the newest event, it is simply overwritten.) Holes are compacted away once they
/// outnumber the events, so a consumer that stalls while one series keeps updating holds the ring at the queue's bounds.
/// </para>
/// <para>
/// The coalescing map holds only series with a candle update still queued: an entry is removed when its update is
/// dequeued, so it never outgrows the queue.
/// </para>
/// </remarks>
internal sealed class FeedEventQueue
{
    /// <summary>How many connection states may wait in a row before the run is collapsed (see <see cref="EnqueueConnection"/>).</summary>
    public const int MaxConnectionRun = 64;

    /// <summary>Fewer holes than this are left in the ring: compacting costs a pass over the queue.</summary>
    private const int MinHolesToCompact = 256;

    private readonly object _lock = new();
    private readonly Dictionary<SeriesKey, long> _lastCandle = [];
    private readonly Dictionary<SeriesKey, long> _lastHistory = [];
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly int _tickCapacity;
    private readonly int _candleCapacity;
    private readonly int _errorCapacity;
    private MarketDataEvent[] _ring = new MarketDataEvent[1024];
    private int _head;
    private int _count; // events and holes
    private int _holes;
    private long _headSequence;
    private int _queuedTicks;
    private int _queuedCandles;
    private int _queuedErrors;
    private long _droppedTicks;
    private long _firstDroppedMs;
    private long _lastDroppedMs;

    /// <param name="tickCapacity">How many ticks may wait.</param>
    /// <param name="candleCapacity">How many candle updates may wait before updates of a series replace its queued one; the tick capacity by default.</param>
    /// <param name="errorCapacity">How many server errors may wait.</param>
    public FeedEventQueue(int tickCapacity, int? candleCapacity = null, int errorCapacity = DefaultErrorCapacity)
    {
        _tickCapacity = tickCapacity;
        _candleCapacity = candleCapacity ?? tickCapacity;
        _errorCapacity = errorCapacity;
    }

    /// <summary>How many server error events may wait for the consumer by default.</summary>
    public const int DefaultErrorCapacity = 16;

    /// <summary>How many series have a candle update queued (the size of the coalescing map).</summary>
    public int CoalescingSeries
    {
        get
        {
            lock (_lock)
            {
                return _lastCandle.Count;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count - _holes;
            }
        }
    }

    /// <summary>The ring's length: events, holes and free slots.</summary>
    public int RingLength
    {
        get
        {
            lock (_lock)
            {
                return _ring.Length;
            }
        }
    }

    public void EnqueueControl(in MarketDataEvent e)
    {
        lock (_lock)
        {
            FlushGap();
            switch (e.Kind)
            {
                case MarketDataEventKind.History:
                    EnqueueHistory(e);
                    break;
                case MarketDataEventKind.Connection:
                    EnqueueConnection(e);
                    break;
                default:
                    Append(e);
                    break;
            }
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>Queues a live candle update, coalescing it with its series' queued update (see the class remarks).</summary>
    /// <returns><see langword="false"/> when the queue was full and a queued update of another open time was superseded (a drop).</returns>
    public bool EnqueueCandle(in MarketDataEvent e)
    {
        lock (_lock)
        {
            FlushGap();
            var key = e.Series;
            var nothingLost = true;
            if (_lastCandle.TryGetValue(key, out var sequence) && sequence >= _headSequence)
            {
                ref var queued = ref _ring[(_head + (int)(sequence - _headSequence)) % _ring.Length];
                if (queued.Candle.OpenTime == e.Candle.OpenTime || _queuedCandles >= _candleCapacity)
                {
                    // The newest update of the series takes the queued one's place: full, or it holds the same
                    // interval further on. Dropped (reported) only when it was another interval's update.
                    nothingLost = queued.Candle.OpenTime == e.Candle.OpenTime;
                    if (sequence == _headSequence + _count - 1)
                    {
                        queued = e;
                        return nothingLost;
                    }

                    queued = default;
                    _holes++;
                    _queuedCandles--;
                }
            }

            _lastCandle[key] = _headSequence + _count;
            _queuedCandles++;
            Append(e);
            CompactIfHoley();

            _signal.Writer.TryWrite(true);
            return nothingLost;
        }
    }

    /// <summary>Queues a server error event, or drops it when the error capacity is reached.</summary>
    /// <returns><see langword="false"/> when it was dropped.</returns>
    public bool EnqueueError(in MarketDataEvent e)
    {
        lock (_lock)
        {
            if (_queuedErrors >= _errorCapacity)
            {
                return false;
            }

            FlushGap();
            _queuedErrors++;
            Append(e);
        }

        _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Queues a tick, or drops it when <c>tickCapacity</c> ticks are already waiting.</summary>
    /// <returns><see langword="false"/> when the tick was dropped.</returns>
    public bool EnqueueTick(in MarketDataEvent e)
    {
        lock (_lock)
        {
            if (_queuedTicks >= _tickCapacity)
            {
                if (_droppedTicks++ == 0)
                {
                    _firstDroppedMs = e.Tick.EventTimeMs;
                }

                _lastDroppedMs = e.Tick.EventTimeMs;
                return false;
            }

            FlushGap();
            _queuedTicks++;
            Append(e);
        }

        _signal.Writer.TryWrite(true);
        return true;
    }

    public bool TryDequeue(out MarketDataEvent e)
    {
        lock (_lock)
        {
            while (true)
            {
                if (_count == 0)
                {
                    FlushGap();
                    if (_count == 0)
                    {
                        e = default;
                        return false;
                    }
                }

                e = _ring[_head];
                _ring[_head] = default;
                _head = (_head + 1) % _ring.Length;
                _count--;
                _headSequence++;
                switch (e.Kind)
                {
                    case MarketDataEventKind.None:
                        _holes--;
                        continue;
                    case MarketDataEventKind.Tick:
                        _queuedTicks--;
                        break;
                    case MarketDataEventKind.Candle:
                        _queuedCandles--;
                        if (_lastCandle.TryGetValue(e.Series, out var last) && last == _headSequence - 1)
                        {
                            // The series has no update queued any more: forget it (the map holds only queued series).
                            _lastCandle.Remove(e.Series);
                        }

                        break;
                    case MarketDataEventKind.History:
                        if (_lastHistory.TryGetValue(e.Series, out var lastAnswer) && lastAnswer == _headSequence - 1)
                        {
                            _lastHistory.Remove(e.Series);
                        }

                        break;
                    case MarketDataEventKind.ServerError:
                        _queuedErrors--;
                        break;
                }

                return true;
            }
        }
    }

    /// <summary>Waits until an event may be queued; <see langword="false"/> once completed and drained.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        _ = _signal.Reader.TryRead(out _);
        lock (_lock)
        {
            if (_count > 0 || _droppedTicks > 0)
            {
                return new ValueTask<bool>(true);
            }
        }

        return _signal.Reader.WaitToReadAsync(cancellationToken);
    }

    public void Complete() => _signal.Writer.TryComplete();

    /// <summary>
    /// Queues a history answer; one still queued for the same series is merged into it (the union of their candles,
    /// the newer answer's winning on the same open time), which takes its turn at the tail. A consumer that stalls
    /// through a reconnect storm, each reconnect answering a backfill per series, so holds one answer per series,
    /// and loses no bar.
    /// </summary>
    private void EnqueueHistory(in MarketDataEvent e)
    {
        var key = e.Series;
        var answer = e;
        if (_lastHistory.TryGetValue(key, out var sequence) && sequence >= _headSequence)
        {
            ref var queued = ref _ring[(_head + (int)(sequence - _headSequence)) % _ring.Length];
            answer = MarketDataEvent.ForHistory(e.Symbol, e.Timeframe, CandleSeries.Union(queued.History, e.History), queued.RejectedCandles + e.RejectedCandles, queued.IsBackfill || e.IsBackfill);
            queued = default;
            _holes++;
        }

        _lastHistory[key] = _headSequence + _count;
        Append(answer);
        CompactIfHoley();
    }

    /// <summary>
    /// Queues a connection state. A consumer that keeps up sees every state (each reconnect attempt with its number).
    /// When <see cref="MaxConnectionRun"/> states wait with nothing queued between them, the consumer has stalled
    /// through a reconnect storm: the run is kept to what it acts on, the run's first
    /// <see cref="SourceConnectionState.Disconnected"/> (a drop happened), the last
    /// <see cref="SourceConnectionState.Connected"/> after it, and the newest state. So a storm adds at most
    /// <see cref="MaxConnectionRun"/> events, whatever its length.
    /// </summary>
    private void EnqueueConnection(in MarketDataEvent e)
    {
        const int MaxRun = MaxConnectionRun;
        var run = 0;
        while (run < MaxRun && run < _count && _ring[(_head + _count - 1 - run) % _ring.Length].Kind == MarketDataEventKind.Connection)
        {
            run++;
        }

        if (run < MaxRun)
        {
            Append(e);
            return;
        }

        Span<int> slots = stackalloc int[MaxRun];
        for (var i = 0; i < MaxRun; i++)
        {
            slots[i] = (_head + _count - MaxRun + i) % _ring.Length;
        }

        var drop = -1;
        var connected = -1;
        for (var i = 0; i < MaxRun; i++)
        {
            var state = _ring[slots[i]].State;
            if (state == SourceConnectionState.Disconnected && drop < 0)
            {
                drop = i;
            }
            else if (state == SourceConnectionState.Connected && i > drop)
            {
                connected = i;
            }
        }

        if (connected < drop)
        {
            connected = -1;   // a connection before the drop: the drop is what the consumer must see
        }

        var first = drop >= 0 ? _ring[slots[drop]] : default;
        var second = connected >= 0 ? _ring[slots[connected]] : default;
        foreach (var slot in slots)
        {
            _ring[slot] = default;
        }

        _count -= MaxRun;
        if (drop >= 0)
        {
            Append(first);
        }

        if (connected >= 0)
        {
            Append(second);
        }

        Append(e);
    }

    private void FlushGap()
    {
        if (_droppedTicks == 0)
        {
            return;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"dropped {_droppedTicks} live tick(s) between {_firstDroppedMs} and {_lastDroppedMs} (Unix ms): the consumer fell behind");
        _droppedTicks = 0;
        Append(MarketDataEvent.ForLiveGap(text));
    }

    private void CompactIfHoley()
    {
        if (_holes > MinHolesToCompact && _holes > _count / 2)
        {
            Compact();
        }
    }

    /// <summary>Closes the holes: the events move to the front of the ring, in order, and the maps follow them.</summary>
    private void Compact()
    {
        var compacted = new MarketDataEvent[_ring.Length];
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            var e = _ring[(_head + i) % _ring.Length];
            if (e.Kind == MarketDataEventKind.None)
            {
                continue;
            }

            var map = e.Kind == MarketDataEventKind.Candle ? _lastCandle : e.Kind == MarketDataEventKind.History ? _lastHistory : null;
            if (map is not null && map.TryGetValue(e.Series, out var last) && last == _headSequence + i)
            {
                map[e.Series] = _headSequence + n;
            }

            compacted[n++] = e;
        }

        _ring = compacted;
        _head = 0;
        _count = n;
        _holes = 0;
    }

    private void Append(in MarketDataEvent e)
    {
        if (_count == _ring.Length)
        {
            var bigger = new MarketDataEvent[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _ring[(_head + i) % _ring.Length];
            }

            _ring = bigger;
            _head = 0;
        }

        _ring[(_head + _count) % _ring.Length] = e;
        _count++;
    }
}
