using System.Diagnostics.Metrics;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Diagnostics;

/// <summary>The instruments of the <c>OrderFlow.Feed</c> meter. Tag values are fixed, low-cardinality strings.</summary>
internal sealed class FeedMetrics : IDisposable
{
    public const string MeterName = "OrderFlow.Feed";

    private static readonly string[] s_typeTags = ["none", "historical_candles", "candle", "tick", "pong", "error", "get_history", "ping"];
    private static readonly string[] s_reasonTags = Enum.GetNames<FeedRejection>();
    private static readonly string[] s_dropTags = ["unsubscribed", "unsolicited", "queue_full"];
    private readonly Meter? _ownedMeter;

    public FeedMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        Messages = meter.CreateCounter<long>("orderflow.feed.messages", "{message}", "Feed messages decoded, by type.");
        Rejected = meter.CreateCounter<long>("orderflow.feed.rejected", "{message}", "Feed frames skipped, by reason (malformed, unknown type, binary, too large).");
        Reconnects = meter.CreateCounter<long>("orderflow.feed.reconnects", "{attempt}", "Reconnect attempts.");
        Bytes = meter.CreateCounter<long>("orderflow.feed.bytes", "By", "Bytes received from the feed.");
        Dropped = meter.CreateCounter<long>("orderflow.feed.dropped", "{tick}", "Live ticks dropped because the consumer fell behind.");
        RejectedCandles = meter.CreateCounter<long>("orderflow.feed.history.rejected", "{candle}", "Invalid candles left out of history answers.");
        BackfillRetries = meter.CreateCounter<long>("orderflow.feed.backfill.retries", "{request}", "Backfill requests asked again with more bars because the answer did not reach back to the last candle seen.");
        Discarded = meter.CreateCounter<long>("orderflow.feed.discarded", "{message}", "Feed messages decoded but not queued for the consumer, by type and reason (unsubscribed series, unsolicited history answer, queue full).");
        BackfillGaps = meter.CreateCounter<long>("orderflow.feed.backfill.gaps", "{gap}", "Outages the backfill could not cover (the source had no older history or the depth was used up), by symbol and timeframe.");
    }

    public Counter<long> Messages { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Bytes { get; }

    public Counter<long> Dropped { get; }

    public Counter<long> RejectedCandles { get; }

    public Counter<long> BackfillRetries { get; }

    public Counter<long> BackfillGaps { get; }

    public Counter<long> Discarded { get; }

    public void Discard(FeedMessageType type, DropReason reason) =>
        Discarded.Add(1, new KeyValuePair<string, object?>("type", s_typeTags[(int)type]), new KeyValuePair<string, object?>("reason", s_dropTags[(int)reason]));

    public void Message(FeedMessageType type) =>
        Messages.Add(1, new KeyValuePair<string, object?>("type", s_typeTags[(int)type]));

    public void Rejection(FeedRejection reason) =>
        Rejected.Add(1, new KeyValuePair<string, object?>("reason", s_reasonTags[(int)reason]));

    public void BackfillGap(Symbol symbol, Timeframe timeframe) =>
        BackfillGaps.Add(1, new KeyValuePair<string, object?>("symbol", symbol.Value), new KeyValuePair<string, object?>("timeframe", timeframe.Name));

    public void Dispose() => _ownedMeter?.Dispose();
}

/// <summary>Why a decoded feed message was not queued (the <c>reason</c> tag of <c>orderflow.feed.discarded</c>).</summary>
internal enum DropReason
{
    /// <summary>A candle, tick or history message for a series (or a tick for a symbol) nobody subscribed to.</summary>
    Unsubscribed,

    /// <summary>A history answer for a subscribed series with no request pending.</summary>
    Unsolicited,

    /// <summary>The queue of its kind was full (server errors; candle updates superseded by a newer one of their series).</summary>
    QueueFull,
}
