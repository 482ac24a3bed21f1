using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Databento.Replay;

/// <summary>
/// Replays Databento DBN files — trades or OHLCV bars, as downloaded from Databento's portal or API — in real time or
/// faster, driven by a <see cref="TimeProvider"/>, keyed by root symbol (GC, ES, …).
/// </summary>
/// <remarks>
/// <para>
/// <b>Files.</b> DBN versions 1–3, plain or zstd (<c>.dbn</c>, <c>.dbn.zst</c>; detected from the bytes) of schema
/// <c>trades</c>, <c>tbbo</c>, <c>mbp-1</c> (its trades, action <c>T</c>; book updates are ignored), <c>ohlcv-1s</c>,
/// <c>ohlcv-1m</c>, <c>ohlcv-1h</c> or <c>ohlcv-1d</c>, or mixed-schema streams (Live captures), of which trades and
/// OHLCV records are used. Several files are merged by time; they may hold
/// several products. Any other schema, and any corrupt or cut-off file, throws <see cref="DbnFormatException"/> whose
/// message starts with the file name and ends with the byte offset.
/// </para>
/// <para>
/// <b>Symbols.</b> Instrument ids resolve to raw symbols through the metadata's mappings and symbol mapping records,
/// then to roots by <see cref="CmeSymbology"/> (<c>GCZ6</c> → GC); records without a root (unmapped ids, spreads,
/// options) are skipped, as are roots outside <see cref="DbnReplayOptions.Symbols"/>.
/// </para>
/// <para>
/// <b>One contract per root.</b> A parent download (<c>GC.FUT</c>) holds every expiry. For each root and CME trading date the
/// replay serves the contract with the most volume that day (trade sizes or bar volumes), and never goes back to a
/// contract it has rolled away from; the other contracts' records are dropped, so candles do not jump between
/// expiries (except once, at each roll). Days are CME trading dates: a session starts at 17:00 America/Chicago the
/// evening before (22:00 UTC in summer, 23:00 UTC in winter; see <see cref="CmeTradingHours.SessionDate"/>), so a roll
/// happens between sessions, not at 00:00 UTC in the middle of one. <see cref="Contracts"/> lists the choices.
/// </para>
/// <para>
/// <b>Replay</b>, as every <see cref="ReplayMarket"/>: a trade is a tick at its <c>ts_event</c> (milliseconds,
/// price as the nearest double, size, and <see cref="Tick.Side"/> from the trade's aggressor side: <c>B</c> buy,
/// <c>A</c> sell, else unknown), and also builds live candles (1m by default, see
/// <see cref="ReplayOptions.LiveTimeframes"/>) with <c>LiveCandleSeries</c> and no limits; an OHLCV bar is a
/// candle of its timeframe revealed when it closes; one-second bars are merged into 1-minute candles (1s is no
/// OrderFlow timeframe). The stream ends after the last record unless <see cref="ReplayOptions.Loop"/> is set.
/// </para>
/// <para>
/// <b>History</b> as of the replay position: for 1m, the 1-minute bars merged with the minutes built from trades;
/// for a coarser timeframe, its own bars when the files have some (1h, 1d), otherwise the 1-minute candles aggregated
/// (or, with no minutes, the finest bars that divide it). So a trades or 1m file serves every timeframe.
/// </para>
/// <para>
/// <b>Order flow.</b> Candles built from trades carry the trades' buy and sell volumes (<see cref="Candle.BuyVolume"/>,
/// <see cref="Candle.SellVolume"/>; trades without a side count as unknown volume), live and in history, and coarser
/// timeframes aggregated from them sum the flow. Candles from OHLCV bars have none (<see cref="Candle.HasFlow"/> false).
/// </para>
/// <para>
/// <b>Memory.</b> Records are streamed into the replay as they are decoded: bars are kept as candles, trades as
/// ticks only up to <see cref="DbnReplayOptions.MaxTicks"/> (200,000 by default, about 150 bytes each while loading);
/// later trades are folded into 1-minute candles with their order flow (<see cref="FoldedTrades"/> counts them), so a
/// month of trades, or a small zstd bomb of records, takes memory in proportion to its minutes, not its trades.
/// </para>
/// <para>
/// <b>As a source</b> it is an <see cref="IMarketDataSource"/> in process: the sync worker's <c>Source=replay</c>
/// and the chart server's demo feed their sync engine from it directly, and the standalone feed server serves it
/// over WebSocket. Thread-safe; <see cref="ReplayMarket.StreamAsync"/> may be enumerated by one consumer at a time.
/// </para>
/// </remarks>
public sealed class DbnReplaySource : ReplayMarket
{
    private readonly double _speed;
    private readonly int _fileCount;
    private readonly int _maxTicks;

    private DbnReplaySource(DbnReplayLoader loader, List<DbnReplayContract> contracts, DbnReplayOptions options, TimeProvider timeProvider)
        : base(loader.Build(contracts), options, timeProvider)
    {
        Contracts = contracts;
        SkippedRecords = loader.Skipped;
        FoldedTrades = loader.FoldedTrades;
        _fileCount = loader.FileCount;
        _speed = options.Speed;
        _maxTicks = options.MaxTicks;
    }

    /// <summary>
    /// How many records of the files are not replayed: no root symbol, a root not asked for, an invalid price or time,
    /// or a contract not chosen for its day.
    /// </summary>
    public long SkippedRecords { get; }

    /// <summary>
    /// How many trades were folded into 1-minute candles at load because the tick window
    /// (<see cref="DbnReplayOptions.MaxTicks"/>) was full (those of contracts not chosen included).
    /// </summary>
    public long FoldedTrades { get; }

    /// <summary>The contracts served, per root in time order: which instrument each root symbol follows on which CME trading dates.</summary>
    public IReadOnlyList<DbnReplayContract> Contracts { get; }

    /// <summary>Loads a recording from DBN files.</summary>
    /// <param name="paths">The files, plain or zstd (records of all files are merged by time).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The source, positioned at its start.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="DbnFormatException">A file is not valid DBN, is cut off, or is of a schema that cannot be
    /// replayed; the message starts with the file's path and gives the byte offset.</exception>
    /// <exception cref="IOException">A file cannot be read (<see cref="FileNotFoundException"/> when it does not exist).</exception>
    public static DbnReplaySource Load(IEnumerable<string> paths, DbnReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new DbnReplayOptions();
        options.Validate();
        var loader = new DbnReplayLoader(options);
        foreach (var path in paths)
        {
            ArgumentNullException.ThrowIfNull(path, nameof(paths));
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            loader.Read(stream, path); // the decoder owns and disposes the stream
        }

        return new DbnReplaySource(loader, [], options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Reads a recording from a DBN stream (plain or zstd), to its end.</summary>
    /// <param name="stream">The stream; disposed when read.</param>
    /// <param name="sourceName">The name used in error messages (for example a file name).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The source, positioned at its start.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="DbnFormatException">The stream is not valid DBN or is of a schema that cannot be replayed; the
    /// message starts with <paramref name="sourceName"/> and gives the byte offset.</exception>
    public static DbnReplaySource Read(Stream stream, string sourceName, DbnReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= new DbnReplayOptions();
        options.Validate();
        var loader = new DbnReplayLoader(options);
        loader.Read(stream, sourceName);
        return new DbnReplaySource(loader, [], options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Describes the replay for logs.</summary>
    /// <returns>For example <c>DBN replay of 1 file(s), 2400000 records (GC), speed 60</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"DBN replay of {_fileCount} file(s), {RecordCount} records ({string.Join(' ', Symbols)}), speed {_speed}, ticks kept {(_maxTicks == 0 ? "none" : _maxTicks.ToString("N0", CultureInfo.InvariantCulture))}");
}
