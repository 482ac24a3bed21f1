using System.Globalization;
using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <summary>
/// The queue between the feed's reader loop and its one consumer, with the client's backpressure policy: the reader
/// never waits. Control events (history, connection states, errors) are never dropped; a live candle update replaces
/// a still-queued update of the same series and open time; ticks queue up to a capacity, after which they are
/// dropped, counted and reported as one <see cref="MarketDataEventKind.LiveGap"/>.
/// </summary>
internal sealed class FeedEventQueue
{
    private readonly object _lock = new();
    private readonly Dictionary<SeriesKey, long> _lastCandle = [];
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly int _tickCapacity;
    private MarketDataEvent[] _ring = new MarketDataEvent[1024];
    private int _head;
    private int _count;
    private long _headSequence;
    private int _queuedTicks;
    private long _droppedTicks;
    private long _firstDroppedMs;
    private long _lastDroppedMs;

    public FeedEventQueue(int tickCapacity) => _tickCapacity = tickCapacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void EnqueueControl(in MarketDataEvent e)
    {
        lock (_lock)
        {
            FlushGap();
            Append(e);
        }

        _signal.Writer.TryWrite(true);
    }

    public void EnqueueCandle(in MarketDataEvent e)
    {
        lock (_lock)
        {
            FlushGap();
            var key = e.Series;
            if (_lastCandle.TryGetValue(key, out var sequence) && sequence >= _headSequence)
            {
                ref var queued = ref _ring[(_head + (int)(sequence - _headSequence)) % _ring.Length];
                if (queued.Candle.OpenTime == e.Candle.OpenTime)
                {
                    queued = e;
                    return;
                }
            }

            _lastCandle[key] = _headSequence + _count;
            Append(e);
        }

        _signal.Writer.TryWrite(true);
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
            if (e.Kind == MarketDataEventKind.Tick)
            {
                _queuedTicks--;
            }

            return true;
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
