using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.Feed.Testing.Internal;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

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
/// <see cref="ReplayOptions.LiveTimeframes"/>) with <c>LiveCandleSeries</c> and no limits, streamed after each
/// batch; the first of them opens at the first trade (they carry on from each other, not from recorded candles).
/// The stream ends after the last record, unless <see cref="ReplayOptions.Loop"/> starts it again.
/// </para>
/// <para>
/// <b>History</b> as of the replay position: for 1m, the recorded 1-minute candles merged with those built from
/// trades (which win for the same minute); for a coarser timeframe, its recorded candles when the recording has
/// any, otherwise those 1-minute candles aggregated (or, when there are none, the finest recorded timeframe that
/// divides it).
/// </para>
/// <para>
/// A <see cref="ReplayMarket"/>, so an <see cref="IMarketDataSource"/> in process; a <see cref="FeedServer"/> serves
/// it over WebSocket. Thread-safe; <see cref="ReplayMarket.StreamAsync"/> may be enumerated by one consumer at a time.
/// </para>
/// </remarks>
public sealed class CsvReplaySource : ReplayMarket
{
    private readonly double _speed;

    private CsvReplaySource(List<MarketDataEvent> records, CsvReplayOptions options, TimeProvider timeProvider)
        : base(records, options, timeProvider)
    {
        _speed = options.Speed;
    }

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
        var records = new List<MarketDataEvent>();
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
        var records = new List<MarketDataEvent>();
        CsvReplayParser.Parse(reader, sourceName, records);
        return new CsvReplaySource(records, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Describes the replay for logs.</summary>
    /// <returns>For example <c>CSV replay of 1200 records (GC), speed 10</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CSV replay of {RecordCount} records ({string.Join(' ', Symbols)}), speed {_speed}");
}
