using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Sync;

/// <summary>
/// Options of the sync engine: which series it keeps in the chart store, how deep their history goes and how often
/// charts and history are refreshed. Bound from the <c>Sync</c> configuration section and validated at start-up.
/// </summary>
/// <remarks>
/// <para>
/// The collections are filled with the defaults when configuration leaves them empty (every default is documented on
/// its property). A single comma- or space-separated value replaces a whole list, which suits environment variables:
/// <c>Sync__Symbols=GC,SI</c> (the indexed form <c>Sync__Symbols__0=GC</c> only overrides one element of the list in
/// appsettings.json).
/// </para>
/// <para>The candle rules (spike and wick limits, continuity gap, 365-day window) live in the <c>Rules</c> section; see the package README.</para>
/// </remarks>
public sealed class CandleSyncOptions
{
    /// <summary>The default chart-sync interval: 30 seconds (the seed's periodic Redis sync).</summary>
    public static readonly TimeSpan DefaultChartSyncInterval = TimeSpan.FromSeconds(30);

    /// <summary>The default live-write interval: one second (the seed's one live message per second).</summary>
    public static readonly TimeSpan DefaultLiveWriteInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default history re-request interval: one hour (the seed's full historical sync).</summary>
    public static readonly TimeSpan DefaultHistorySyncInterval = TimeSpan.FromHours(1);

    /// <summary>The symbols to sync. Default GC, SI, CL, ES, NQ.</summary>
    public IList<string> Symbols { get; } = new List<string>();

    /// <summary>The timeframes to sync, among <c>1m 5m 15m 1h 4h 1d</c>. Default all six.</summary>
    public IList<string> Timeframes { get; } = new List<string>();

    /// <summary>
    /// How many bars of history to request per timeframe (<c>Sync:HistoryBars:1m</c>, …); a timeframe without an
    /// entry gets the seed's depth (<see cref="HistoryDepth.DefaultBars"/>: 1m 100,000; 5m 50,000; 15m 35,000;
    /// 1h 8,760; 4h 2,200; 1d 365). Between 1 and 1,000,000.
    /// </summary>
    public IDictionary<string, int> HistoryBars { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// How often every chart is written again (only when it changed or the store lost it; otherwise only its TTL is
    /// refreshed), and the longest it takes to restore the keys after a Redis outage. Default 30 s; must be positive.
    /// </summary>
    public TimeSpan ChartSyncInterval { get; set; } = DefaultChartSyncInterval;

    /// <summary>
    /// The least time between two live writes of one series (its current candle, live buffer and publish): changes
    /// that come sooner are coalesced, and the newest state is written once the interval has passed since the last
    /// write. The first change of a quiet series is written at once, and a stop writes every pending state at once. The
    /// periodic rewrite of unchanged live keys (every <see cref="ChartSyncInterval"/>, restoring keys a store lost) is
    /// paced the same way but does not count: it never delays the next change.
    /// Default one second; must be positive and at most half the live keys' TTL (<c>Redis:CurrentTtl</c>, two minutes
    /// by default), so a series that keeps changing has its keys rewritten at least twice per TTL.
    /// </summary>
    public TimeSpan LiveWriteInterval { get; set; } = DefaultLiveWriteInterval;

    /// <summary>How often history is requested again for every series. Default one hour; must be positive.</summary>
    public TimeSpan HistorySyncInterval { get; set; } = DefaultHistorySyncInterval;

    /// <summary>How often the one-line status is logged. Default one minute; must be positive.</summary>
    public TimeSpan StatusLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a reconnect live candles wait for the backfill of the outage before they are merged anyway
    /// (when the feed never answers a backfill request). Default 2 minutes; must be positive.
    /// </summary>
    public TimeSpan BackfillTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The feed health check reports Degraded when no market message arrived for this long while connected (the
    /// market may be closed). Default 2 minutes; must be positive.
    /// </summary>
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How far past now a live tick, live candle, history or stored candle may open before it is rejected as in the
    /// future (reason <c>in_future</c>), never stored nor published. <see langword="null"/> (the default): one
    /// timeframe (a 1m candle may open at most a minute ahead of this machine's clock). Must not be negative.
    /// </summary>
    public TimeSpan? FutureTolerance { get; set; }

    /// <summary>
    /// Returns the history depth of a timeframe: <see cref="HistoryBars"/>, or the seed's default. It is also the
    /// most candles the timeframe's chart keeps (the newest), so the 1m chart does not grow without bound.
    /// </summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The number of bars to request.</returns>
    public int GetHistoryBars(Timeframe timeframe) =>
        HistoryBars.TryGetValue(timeframe.Name, out var bars) ? bars : HistoryDepth.DefaultBars(timeframe);

    /// <summary>Describes the options for logs.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"Symbols={string.Join(' ', Symbols)}, Timeframes={string.Join(' ', Timeframes)}, HistoryBars={string.Join(' ', Timeframes.Select(tf => Timeframe.TryParse(tf, out var t) ? $"{tf}:{GetHistoryBars(t)}" : tf))}, ChartSyncInterval={ChartSyncInterval}, LiveWriteInterval={LiveWriteInterval}, HistorySyncInterval={HistorySyncInterval}";
}
