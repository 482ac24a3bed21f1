using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>The settings a replay engine needs, whatever the recording's format.</summary>
/// <param name="Speed">The speed factor (validated by the caller).</param>
/// <param name="StartTime">The recording time the replay starts at; null for just before the first record.</param>
/// <param name="ShiftToNow">Whether to move the recording forward by whole weeks to the clock's week.</param>
/// <param name="LiveTimeframes">The timeframes of the live candles built from trades.</param>
/// <param name="Loop">Whether to start again from the first record after the last.</param>
internal readonly record struct ReplaySettings(double Speed, DateTimeOffset? StartTime, bool ShiftToNow, IReadOnlyList<Timeframe> LiveTimeframes, bool Loop);

/// <summary>
/// The replay clock, history and live stream shared by <see cref="CsvReplaySource"/> and <see cref="DbnReplaySource"/>:
/// records at or before the replay position are history, later ones are streamed as the clock reaches them.
/// </summary>
/// <remarks>
/// The position is the start plus the clock's elapsed time times the speed. Trades build live candles with
/// <see cref="LiveCandleRecorder"/>; candle records are revealed at their close. With <see cref="ReplaySettings.Loop"/>
/// the records replay again after the last one, every time moved forward by <see cref="LoopPeriodMs"/> (the recording's
/// length rounded up to whole days, so times keep increasing and every timeframe stays aligned). Thread-safe; one
/// stream at a time.
/// </remarks>
internal sealed class ReplayEngine
{
    private const long DayMs = 86_400_000;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly double _speed;
    private readonly long _startMs;
    private readonly bool _loop;
    private readonly ReplayRecord[] _records;
    private readonly Dictionary<(Symbol, Timeframe), List<Candle>> _revealed = [];
    private readonly Dictionary<Symbol, LiveCandleRecorder> _recorders = [];
    private int _next;
    private long _lapOffsetMs;
    private List<MarketEvent>? _pending;

    public ReplayEngine(List<ReplayRecord> records, ReplaySettings settings, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _startedAt = _time.GetUtcNow();
        _speed = settings.Speed;
        if (records.Count == 0)
        {
            _records = [];
            Symbols = [];
            _startMs = _startedAt.ToUnixTimeMilliseconds();
            return;
        }

        var first = records.Min(r => r.ReplayMs);
        var start = settings.StartTime?.ToUnixTimeMilliseconds() ?? first - 1;
        if (settings.ShiftToNow)
        {
            const long Week = 7 * DayMs;
            var offset = Math.DivRem(_startedAt.ToUnixTimeMilliseconds() - start, Week, out var rem) - (rem < 0 ? 1 : 0);
            var offsetMs = offset * Week;
            for (var i = 0; i < records.Count; i++)
            {
                records[i] = records[i].Shifted(offsetMs);
            }

            start += offsetMs;
        }

        _startMs = start;
        _records = [.. records];
        Array.Sort(_records, static (a, b) => a.ReplayMs != b.ReplayMs ? a.ReplayMs.CompareTo(b.ReplayMs) : a.Sequence.CompareTo(b.Sequence));
        Symbols = _records.Select(r => r.Symbol).Distinct().ToArray();
        foreach (var symbol in Symbols)
        {
            _recorders[symbol] = new LiveCandleRecorder(symbol, settings.LiveTimeframes, static _ => CandleRules.Unlimited, static _ => []);
        }

        First = DateTimeOffset.FromUnixTimeMilliseconds(_records[0].ReplayMs);
        Last = DateTimeOffset.FromUnixTimeMilliseconds(_records[^1].ReplayMs);

        // A lap must start after the last record, with every candle still aligned: whole days past the earliest time.
        _loop = settings.Loop;
        var earliest = _records.Min(static r => r.EventMs);
        LoopPeriodMs = ((_records[^1].ReplayMs - earliest) / DayMs + 1) * DayMs;
        lock (_lock)
        {
            AdvanceTo(_startMs);
        }
    }

    public IReadOnlyList<Symbol> Symbols { get; }

    public int RecordCount => _records.Length;

    public DateTimeOffset First { get; }

    public DateTimeOffset Last { get; }

    /// <summary>How far each lap of a looped replay moves the recording forward, in milliseconds.</summary>
    public long LoopPeriodMs { get; }

    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(PositionMs());

    /// <summary>How many times a looped replay has started again from its first record.</summary>
    public int Laps
    {
        get
        {
            lock (_lock)
            {
                return LoopPeriodMs == 0 ? 0 : (int)(_lapOffsetMs / LoopPeriodMs);
            }
        }
    }

    public Candle[] GetHistory(Symbol symbol, Timeframe timeframe, int bars)
    {
        if (bars < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(bars), bars, "bars must be at least 1.");
        }

        lock (_lock)
        {
            AdvanceTo(PositionMs());
            if (timeframe != Timeframe.OneMinute && _revealed.TryGetValue((symbol, timeframe), out var recorded) && recorded.Count > 0)
            {
                return Tail(CollectionsMarshal.AsSpan(recorded), bars);
            }

            var minutes = new List<Candle>();
            _revealed.TryGetValue((symbol, Timeframe.OneMinute), out var recordedMinutes);
            var built = new List<Candle>();
            if (_recorders.TryGetValue(symbol, out var recorder))
            {
                recorder.CopyLiveTo(built);
            }

            Merge(recordedMinutes ?? [], built, minutes);
            if (timeframe == Timeframe.OneMinute)
            {
                return Tail(CollectionsMarshal.AsSpan(minutes), bars);
            }

            if (minutes.Count == 0 && FinestRecorded(symbol, timeframe) is { } finer)
            {
                // No minutes at all (say, a recording of hourly bars): aggregate the finest recorded timeframe that divides.
                return Tail(CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(_revealed[(symbol, finer)]), finer, timeframe), bars);
            }

            return Tail(CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(minutes), Timeframe.OneMinute, timeframe), bars);
        }
    }

    public async IAsyncEnumerable<MarketEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_pending is not null)
            {
                ThrowHelper.ThrowInvalidOperation("The replay is already being streamed; enumerate StreamAsync from one consumer at a time.");
            }

            _pending = [];
        }

        try
        {
            var batch = new List<MarketEvent>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long nextDueMs;
                lock (_lock)
                {
                    AdvanceTo(PositionMs());
                    (batch, _pending) = (_pending!, batch);
                    nextDueMs = NextDueMs();
                }

                foreach (var e in batch)
                {
                    yield return e;
                }

                batch.Clear();
                if (nextDueMs == long.MaxValue)
                {
                    yield break;
                }

                var waitMs = (nextDueMs - PositionMs()) / _speed;
                if (waitMs > 0)
                {
                    var wait = TimeSpan.FromMilliseconds(Math.Clamp(Math.Ceiling(waitMs), 1, int.MaxValue - 1));
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _pending = null;
            }
        }
    }

    private long NextDueMs() =>
        _next < _records.Length ? _records[_next].ReplayMs + _lapOffsetMs
        : _loop && _records.Length > 0 ? _records[0].ReplayMs + _lapOffsetMs + LoopPeriodMs
        : long.MaxValue;

    private long PositionMs()
    {
        var elapsedMs = (_time.GetUtcNow() - _startedAt).Ticks / (double)TimeSpan.TicksPerMillisecond;
        return _startMs + (long)Math.Floor(Math.Max(0, elapsedMs) * _speed);
    }

    private void AdvanceTo(long positionMs)
    {
        var touched = false;
        while (true)
        {
            if (_next == _records.Length)
            {
                if (!_loop || _records.Length == 0 || _records[0].ReplayMs + _lapOffsetMs + LoopPeriodMs > positionMs)
                {
                    break;
                }

                _next = 0;
                _lapOffsetMs += LoopPeriodMs;
            }

            if (_records[_next].ReplayMs + _lapOffsetMs > positionMs)
            {
                break;
            }

            var record = _lapOffsetMs == 0 ? _records[_next] : _records[_next].Shifted(_lapOffsetMs);
            _next++;
            if (record.Kind == MarketEventKind.Tick)
            {
                // A replay sends what was recorded, even a trade the live series refuses (late, out of order).
                if (!_recorders[record.Symbol].ApplyTick(record.Tick, _pending))
                {
                    _pending?.Add(MarketEvent.TrustedTick(record.Symbol, record.Tick));
                }
            }
            else
            {
                Reveal(record.Symbol, record.Timeframe, record.Candle);
                _pending?.Add(MarketEvent.TrustedCandle(record.Symbol, record.Timeframe, record.Candle));
            }

            touched = true;
        }

        if (touched)
        {
            foreach (var recorder in _recorders.Values)
            {
                recorder.Flush(_pending);
            }
        }
    }

    private Timeframe? FinestRecorded(Symbol symbol, Timeframe target)
    {
        foreach (var tf in Timeframe.All)
        {
            if (tf < target && tf.Divides(target) && _revealed.TryGetValue((symbol, tf), out var list) && list.Count > 0)
            {
                return tf;
            }
        }

        return null;
    }

    private void Reveal(Symbol symbol, Timeframe timeframe, Candle candle)
    {
        if (!_revealed.TryGetValue((symbol, timeframe), out var list))
        {
            list = [];
            _revealed[(symbol, timeframe)] = list;
        }

        if (list.Count == 0 || list[^1].OpenTime < candle.OpenTime)
        {
            list.Add(candle);
            return;
        }

        var index = FindOpenTime(list, candle.OpenTime);
        if (index >= 0)
        {
            list[index] = candle;
        }
        else
        {
            list.Insert(~index, candle);
        }
    }

    private static int FindOpenTime(List<Candle> list, long openTime)
    {
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = list[mid].OpenTime;
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

        return ~lo;
    }

    private static void Merge(List<Candle> recorded, List<Candle> built, List<Candle> destination)
    {
        int i = 0, j = 0;
        while (i < recorded.Count || j < built.Count)
        {
            if (j == built.Count || (i < recorded.Count && recorded[i].OpenTime < built[j].OpenTime))
            {
                destination.Add(recorded[i++]);
            }
            else
            {
                if (i < recorded.Count && recorded[i].OpenTime == built[j].OpenTime)
                {
                    i++;
                }

                destination.Add(built[j++]);
            }
        }
    }

    private static Candle[] Tail(ReadOnlySpan<Candle> candles, int bars) =>
        candles.Length <= bars ? candles.ToArray() : candles[^bars..].ToArray();
}
