using System.Globalization;
using OrderFlow.Candles;
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
/// The stream ends after the last record, unless <see cref="CsvReplayOptions.Loop"/> starts it again.
/// </para>
/// <para>
/// <b>History</b> as of the replay position: for 1m, the recorded 1-minute candles merged with those built from
/// trades (which win for the same minute); for a coarser timeframe, its recorded candles when the recording has
/// any, otherwise those 1-minute candles aggregated (or, when there are none, the finest recorded timeframe that
/// divides it).
/// </para>
/// <para>Thread-safe; <see cref="StreamAsync"/> may be enumerated by one consumer at a time.</para>
/// </remarks>
public sealed class CsvReplaySource : IFeedDataSource
{
    private readonly ReplayEngine _engine;
    private readonly double _speed;

    private CsvReplaySource(List<ReplayRecord> records, CsvReplayOptions options, TimeProvider timeProvider)
    {
        _speed = options.Speed;
        _engine = new ReplayEngine(records, new ReplaySettings(options.Speed, options.StartTime, options.ShiftToNow, options.LiveTimeframes, options.Loop), timeProvider);
    }

    /// <inheritdoc/>
    /// <remarks>The symbols of the recording, in order of first appearance.</remarks>
    public IReadOnlyList<Symbol> Symbols => _engine.Symbols;

    /// <summary>How many records (candles and trades) the recording holds.</summary>
    public int RecordCount => _engine.RecordCount;

    /// <summary>The replay time of the first record (after any shift).</summary>
    public DateTimeOffset First => _engine.First;

    /// <summary>The replay time of the last record (after any shift).</summary>
    public DateTimeOffset Last => _engine.Last;

    /// <summary>The replay position: the start plus the clock's elapsed time times the speed.</summary>
    public DateTimeOffset Now => _engine.Now;

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
    public Candle[] GetHistory(Symbol symbol, Timeframe timeframe, int bars) => _engine.GetHistory(symbol, timeframe, bars);

    /// <inheritdoc/>
    public ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetHistory(symbol, timeframe, bars));
    }

    /// <summary>
    /// Streams the recording from the replay position on: each trade as a tick event (followed by the live candles
    /// it changed), each candle row as a candle event; ends after the last record (never, with
    /// <see cref="CsvReplayOptions.Loop"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The events, in replay order.</returns>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    public IAsyncEnumerable<MarketEvent> StreamAsync(CancellationToken cancellationToken = default) => _engine.StreamAsync(cancellationToken);

    /// <summary>Describes the replay for logs.</summary>
    /// <returns>For example <c>CSV replay of 1200 records (GC), speed 10</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CSV replay of {_engine.RecordCount} records ({string.Join(' ', Symbols)}), speed {_speed}");
}
