using System.Runtime.InteropServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Rules;

using OrderFlow.MarketData.Internal;

namespace OrderFlow.MarketData.Simulation;

/// <summary>
/// A market that replays a recording — trades and candles, in real time or faster, driven by a
/// <see cref="TimeProvider"/>: records at or before the replay position are history, later ones are streamed as the
/// clock reaches them. The base of the DBN replay (<c>OrderFlow.Databento</c>) and the CSV replay
/// (<c>OrderFlow.Feed.Testing</c>), which only read their format into a recording.
/// </summary>
/// <remarks>
/// <para>
/// The position is the start plus the clock's elapsed time times the speed. A trade is replayed at its time, and also
/// builds live candles (<see cref="ReplayOptions.LiveTimeframes"/>) with no limits; a candle record is revealed when
/// it closes (time + timeframe), so a recorded history plays like a feed that publishes each candle when complete
/// (records for the same candle replay in recording order, as successive updates). With
/// <see cref="ReplayOptions.Loop"/> the records replay again after the last one, every time moved forward by the
/// recording's length rounded up to whole days (so times keep increasing and every timeframe stays aligned).
/// </para>
/// <para>
/// <b>History</b> as of the replay position: for 1m, the recorded 1-minute candles merged with those built from
/// trades (which win for the same minute); for a coarser timeframe, its recorded candles when the recording has any,
/// otherwise those 1-minute candles aggregated (or, when there are none, the finest recorded timeframe that divides it).
/// </para>
/// <para>
/// As a source (<see cref="InProcessMarketDataSource"/>) it feeds one consumer in process. Thread-safe;
/// <see cref="StreamAsync"/> may be enumerated by one consumer at a time.
/// </para>
/// </remarks>
public abstract class ReplayMarket : InProcessMarketDataSource
{
    private const long DayMs = 86_400_000;

    private readonly Lock _lock = new();
    private readonly MarketTimeline _timeline;
    private readonly bool _loop;
    private readonly ReplayRecord[] _records;
    private readonly Dictionary<SeriesKey, List<Candle>> _revealed = [];
    private readonly Dictionary<Symbol, LiveCandleRecorder> _recorders = [];
    private int _next;
    private long _lapOffsetMs;

    /// <summary>Creates a replay of <paramref name="recording"/>, positioned at its start.</summary>
    /// <param name="recording">Tick and candle events, in any order (records with equal times keep this order); others are ignored.</param>
    /// <param name="options">How to play it; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="recording"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="ReplayOptions.Validate"/>).</exception>
    protected ReplayMarket(IReadOnlyList<MarketDataEvent> recording, ReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        options ??= new ReplayOptions();
        options.Validate();
        var settings = options;
        var records = new List<ReplayRecord>(recording.Count);
        foreach (var e in recording)
        {
            if (e.Kind is MarketDataEventKind.Tick or MarketDataEventKind.Candle)
            {
                records.Add(new ReplayRecord(e.Kind, e.Symbol, e.Timeframe, e.Candle, e.Tick, records.Count));
            }
        }

        var time = timeProvider ?? TimeProvider.System;
        var startedAt = time.GetUtcNow();
        if (records.Count == 0)
        {
            _records = [];
            Symbols = [];
            _timeline = new MarketTimeline(_lock, time, startedAt, startedAt.ToUnixTimeMilliseconds(), settings.Speed);
            return;
        }

        var first = records.Min(r => r.ReplayMs);
        var start = settings.StartTime?.ToUnixTimeMilliseconds() ?? first - 1;
        if (settings.ShiftToNow)
        {
            const long Week = 7 * DayMs;
            var offset = Math.DivRem(startedAt.ToUnixTimeMilliseconds() - start, Week, out var rem) - (rem < 0 ? 1 : 0);
            var offsetMs = offset * Week;
            for (var i = 0; i < records.Count; i++)
            {
                records[i] = records[i].Shifted(offsetMs);
            }

            start += offsetMs;
        }

        _timeline = new MarketTimeline(_lock, time, startedAt, start, settings.Speed);
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
            AdvanceTo(start);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The symbols of the recording, in order of first appearance.</remarks>
    public override IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>How many records (trades and candles) are replayed.</summary>
    public int RecordCount => _records.Length;

    /// <summary>The replay time of the first record (after any shift).</summary>
    public DateTimeOffset First { get; }

    /// <summary>The replay time of the last record (after any shift; of the first lap when looping).</summary>
    public DateTimeOffset Last { get; }

    /// <summary>How far each lap of a looped replay moves the recording forward, in milliseconds.</summary>
    public long LoopPeriodMs { get; }

    /// <summary>The replay position: the start plus the clock's elapsed time times the speed.</summary>
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

    /// <summary>Returns the latest candles of a symbol and timeframe as of the replay position.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="bars">How many candles at most.</param>
    /// <returns>Ascending candles (see the class remarks for where they come from); empty when there are none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bars"/> is less than 1.</exception>
    public Candle[] GetHistory(Symbol symbol, Timeframe timeframe, int bars)
    {
        if (bars < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(bars), bars, "bars must be at least 1.");
        }

        lock (_lock)
        {
            AdvanceTo(PositionMs());
            if (timeframe != Timeframe.OneMinute && _revealed.TryGetValue(new SeriesKey(symbol, timeframe), out var recorded) && recorded.Count > 0)
            {
                return Tail(CollectionsMarshal.AsSpan(recorded), bars);
            }

            var minutes = new List<Candle>();
            _revealed.TryGetValue(new SeriesKey(symbol, Timeframe.OneMinute), out var recordedMinutes);
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
                return Tail(CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(_revealed[new SeriesKey(symbol, finer)]), finer, timeframe), bars);
            }

            return Tail(CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(minutes), Timeframe.OneMinute, timeframe), bars);
        }
    }

    /// <inheritdoc/>
    public override ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetHistory(symbol, timeframe, bars));
    }

    /// <summary>
    /// Streams the recording from the replay position on: each trade as a tick event (followed by the live candles
    /// it changed), each candle record as a candle event when it closes; ends after the last record (never, with
    /// <see cref="ReplayOptions.Loop"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The events, in replay order.</returns>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    public override IAsyncEnumerable<MarketDataEvent> StreamAsync(CancellationToken cancellationToken = default) =>
        _timeline.StreamAsync(
            positionMs =>
            {
                AdvanceTo(positionMs);
                return NextDueMs();
            },
            "The replay is already being streamed; enumerate StreamAsync from one consumer at a time.",
            cancellationToken);

    private long NextDueMs() =>
        _next < _records.Length ? _records[_next].ReplayMs + _lapOffsetMs
        : _loop && _records.Length > 0 ? _records[0].ReplayMs + _lapOffsetMs + LoopPeriodMs
        : long.MaxValue;

    private long PositionMs() => _timeline.NowMs();

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
            if (record.Kind == MarketDataEventKind.Tick)
            {
                // A replay sends what was recorded, even a trade the live series refuses (late, out of order).
                if (!_recorders[record.Symbol].ApplyTick(record.Tick, _timeline.Pending))
                {
                    _timeline.Pending?.Add(MarketDataEvent.ForTick(record.Symbol, record.Tick));
                }
            }
            else
            {
                Reveal(record.Symbol, record.Timeframe, record.Candle);
                _timeline.Pending?.Add(MarketDataEvent.ForCandle(record.Symbol, record.Timeframe, record.Candle));
            }

            touched = true;
        }

        if (touched)
        {
            foreach (var recorder in _recorders.Values)
            {
                recorder.Flush(_timeline.Pending);
            }
        }
    }

    private Timeframe? FinestRecorded(Symbol symbol, Timeframe target)
    {
        foreach (var tf in Timeframe.All)
        {
            if (tf < target && tf.Divides(target) && _revealed.TryGetValue(new SeriesKey(symbol, tf), out var list) && list.Count > 0)
            {
                return tf;
            }
        }

        return null;
    }

    private void Reveal(Symbol symbol, Timeframe timeframe, Candle candle)
    {
        if (!_revealed.TryGetValue(new SeriesKey(symbol, timeframe), out var list))
        {
            list = [];
            _revealed[new SeriesKey(symbol, timeframe)] = list;
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
