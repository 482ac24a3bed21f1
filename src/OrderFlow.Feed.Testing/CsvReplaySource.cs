using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Rules;
using OrderFlow.Feed.Testing.Internal;

namespace OrderFlow.Feed.Testing;

/// <summary>
/// Replays recorded candles and trades from CSV files, in real time or faster, driven by a
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para><b>Format.</b> UTF-8 text, one record a line, fields separated by commas, numbers in invariant form:</para>
/// <code>
/// # comments and blank lines are skipped; a line whose first field is "symbol" is a header
/// symbol,timeframe,time,open,high,low,close,volume     a candle, e.g. GC,1m,1704203400000,2031.1,2031.5,2030.9,2031.2,640
/// symbol,time,price,size                               a trade,  e.g. GC,1704203401250,2031.3,2
/// </code>
/// <para>
/// Times are Unix milliseconds, Unix seconds (below 1e11) or ISO 8601 UTC (<c>2024-01-02T14:00:00Z</c>). A candle's
/// time is its open time and must be aligned to its timeframe. Both kinds may be mixed in one file and spread over
/// several files; rows need not be sorted. A bad line throws <see cref="CsvFormatException"/> naming the file, the
/// line number and the fault.
/// </para>
/// <para>
/// <b>Replay.</b> A trade is replayed at its time; a candle row when it closes (time + timeframe), so a recorded
/// history plays like a feed that publishes each candle when complete (rows for the same candle replay in file
/// order, as successive updates). Trades also build live candles (1m by default, see
/// <see cref="CsvReplayOptions.LiveTimeframes"/>) with <c>LiveCandleSeries</c> and no limits, streamed after each
/// batch; the first of them opens at the first trade (they carry on from each other, not from recorded candles).
/// The stream ends after the last record.
/// </para>
/// <para>
/// <b>History</b> as of the replay position: for 1m, the recorded 1-minute candles merged with those built from
/// trades (which win for the same minute); for a coarser timeframe, its recorded candles when the recording has
/// any, otherwise those 1-minute candles aggregated.
/// </para>
/// <para>Thread-safe; <see cref="StreamAsync"/> may be enumerated by one consumer at a time.</para>
/// </remarks>
public sealed class CsvReplaySource : IFeedDataSource
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly double _speed;
    private readonly long _startMs;
    private readonly ReplayRecord[] _records;
    private readonly Dictionary<(Symbol, Timeframe), List<Candle>> _revealed = [];
    private readonly Dictionary<Symbol, LiveCandleRecorder> _recorders = [];
    private int _next;
    private List<MarketEvent>? _pending;

    private CsvReplaySource(List<ReplayRecord> records, CsvReplayOptions options, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _startedAt = _time.GetUtcNow();
        _speed = options.Speed;
        if (records.Count == 0)
        {
            _records = [];
            Symbols = [];
            _startMs = _startedAt.ToUnixTimeMilliseconds();
            return;
        }

        var first = records.Min(r => r.ReplayMs);
        var start = options.StartTime?.ToUnixTimeMilliseconds() ?? first - 1;
        if (options.ShiftToNow)
        {
            const long Week = 7L * 86_400_000;
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
            _recorders[symbol] = new LiveCandleRecorder(symbol, options.LiveTimeframes, static _ => CandleRules.Unlimited, static _ => []);
        }

        First = DateTimeOffset.FromUnixTimeMilliseconds(_records[0].ReplayMs);
        Last = DateTimeOffset.FromUnixTimeMilliseconds(_records[^1].ReplayMs);
        lock (_lock)
        {
            AdvanceTo(_startMs);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The symbols of the recording, in order of first appearance.</remarks>
    public IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>How many records (candles and trades) the recording holds.</summary>
    public int RecordCount => _records.Length;

    /// <summary>The replay time of the first record (after any shift).</summary>
    public DateTimeOffset First { get; }

    /// <summary>The replay time of the last record (after any shift).</summary>
    public DateTimeOffset Last { get; }

    /// <summary>The replay position: the start plus the clock's elapsed time times the speed.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(PositionMs());

    /// <summary>Loads a recording from CSV files.</summary>
    /// <param name="paths">The files, read in order (rows of all files are merged by time).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The source, positioned at its start.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is <see langword="null"/>.</exception>
    /// <exception cref="CsvFormatException">A line is malformed; the message names the file and the line.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static CsvReplaySource Load(IEnumerable<string> paths, CsvReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new CsvReplayOptions();
        options.Validate();
        var records = new List<ReplayRecord>();
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path);
            CsvReplayParser.Parse(reader, path, records);
        }

        return new CsvReplaySource(records, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Reads a recording from text in the CSV format.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">The name used in error messages (for example a file name).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The source, positioned at its start.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="CsvFormatException">A line is malformed; the message names the source and the line.</exception>
    public static CsvReplaySource Parse(TextReader reader, string sourceName, CsvReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= new CsvReplayOptions();
        options.Validate();
        var records = new List<ReplayRecord>();
        CsvReplayParser.Parse(reader, sourceName, records);
        return new CsvReplaySource(records, options, timeProvider ?? TimeProvider.System);
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

            return Tail(CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(minutes), Timeframe.OneMinute, timeframe), bars);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetHistory(symbol, timeframe, bars));
    }

    /// <summary>
    /// Streams the recording from the replay position on: each trade as a tick event (followed by the live candles
    /// it changed), each candle row as a candle event; ends after the last record.
    /// </summary>
    /// <param name="cancellationToken">Stops the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The events, in replay order.</returns>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    public async IAsyncEnumerable<MarketEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
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
                    nextDueMs = _next < _records.Length ? _records[_next].ReplayMs : long.MaxValue;
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

    /// <summary>Describes the replay for logs.</summary>
    /// <returns>For example <c>CSV replay of 1200 records (GC), speed 10</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CSV replay of {_records.Length} records ({string.Join(' ', Symbols)}), speed {_speed}");

    private long PositionMs()
    {
        var elapsedMs = (_time.GetUtcNow() - _startedAt).Ticks / (double)TimeSpan.TicksPerMillisecond;
        return _startMs + (long)Math.Floor(Math.Max(0, elapsedMs) * _speed);
    }

    private void AdvanceTo(long positionMs)
    {
        var touched = false;
        while (_next < _records.Length && _records[_next].ReplayMs <= positionMs)
        {
            ref readonly var record = ref _records[_next++];
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
