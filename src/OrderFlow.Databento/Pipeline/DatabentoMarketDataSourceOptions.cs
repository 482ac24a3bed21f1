namespace OrderFlow.Databento;

/// <summary>Settings of a <see cref="DatabentoMarketDataSource"/>: the Live options, the roots to stream, and the tick queue bound.</summary>
public sealed class DatabentoMarketDataSourceOptions
{
    /// <summary>The Live gateway options (key, dataset, heartbeats, reconnects). When its <see cref="DatabentoLiveOptions.Subscriptions"/> is empty, the source fills it from <see cref="Roots"/>.</summary>
    public DatabentoLiveOptions Live { get; set; } = new();

    /// <summary>
    /// The roots to stream (<c>GC</c>, <c>SI</c>, <c>CL</c>, <c>ES</c>, <c>NQ</c>): each becomes the continuous front-month
    /// symbol <c>{root}.c.{ContinuousRank}</c> (stype_in <c>continuous</c>) in an <c>ohlcv-1m</c> subscription and,
    /// with <see cref="IncludeTrades"/>, a <c>trades</c> subscription — exactly one instrument per root.
    /// </summary>
    public IList<string> Roots { get; } = new List<string>();

    /// <summary>Whether to subscribe to trades (ticks) as well as 1-minute bars. Default <see langword="true"/>.</summary>
    public bool IncludeTrades { get; set; } = true;

    /// <summary>The continuous contract rank: 0 = front month (<c>GC.c.0</c>). Default 0.</summary>
    public int ContinuousRank { get; set; }

    /// <summary>
    /// How far back the derived <c>ohlcv-1m</c> subscription replays when the source starts (Databento's intraday
    /// replay, at most 23 hours): historical data ends some minutes before now, and this covers the minutes between
    /// its end and the start of the live stream. Default 1 hour; <see cref="TimeSpan.Zero"/> for live bars only.
    /// </summary>
    public TimeSpan BarReplay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most ticks waiting for the consumer; beyond it ticks are dropped and reported as a live gap. Default 100 000.</summary>
    public int MaxQueuedTicks { get; set; } = 100_000;

    /// <summary>The Live options with subscriptions derived from <see cref="Roots"/> when none are configured.</summary>
    internal DatabentoLiveOptions BuildLiveOptions(DateTimeOffset now)
    {
        if (Live.Subscriptions.Count > 0)
        {
            return Live;
        }

        var symbols = Roots.Select(r => $"{r.Trim().ToUpperInvariant()}.c.{ContinuousRank}").ToArray();
        var bars = DatabentoLiveSubscription.Create(DbnSchema.Ohlcv1M, DbnSType.Continuous, symbols);
        if (BarReplay > TimeSpan.Zero)
        {
            bars.Start = now - BarReplay;
        }

        Live.Subscriptions.Add(bars);
        if (IncludeTrades)
        {
            Live.Subscriptions.Add(DatabentoLiveSubscription.Create(DbnSchema.Trades, DbnSType.Continuous, symbols));
        }

        return Live;
    }
}
