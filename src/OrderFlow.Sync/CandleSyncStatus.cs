using System.Globalization;
using OrderFlow.MarketData;

namespace OrderFlow.Sync;

/// <summary>A snapshot of the sync engine's state, for health checks, status logs and tests.</summary>
/// <remarks>Times are from the engine's <see cref="TimeProvider"/>; <see langword="null"/> means "never".</remarks>
public sealed record CandleSyncStatus
{
    /// <summary>The feed connection state, from the latest connection event.</summary>
    public SourceConnectionState FeedState { get; init; }

    /// <summary>When the last candle, tick or history answer arrived.</summary>
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>Feed events handled since start.</summary>
    public long Messages { get; init; }

    /// <summary>Live candles and ticks rejected by the rules since start.</summary>
    public long Rejected { get; init; }

    /// <summary>Reconnections of the feed since start.</summary>
    public long Reconnects { get; init; }

    /// <summary>How many series (symbol × timeframe) the engine keeps.</summary>
    public int Series { get; init; }

    /// <summary>How many series have had a chart written to the store.</summary>
    public int ChartsStored { get; init; }

    /// <summary>How many series wait for the backfill of a feed outage.</summary>
    public int AwaitingBackfill { get; init; }

    /// <summary>How many series have a live write waiting: for their live-write interval to pass, or for the store.</summary>
    public int PendingLiveWrites { get; init; }

    /// <summary>When a store write last succeeded.</summary>
    public DateTimeOffset? LastStoreSuccessAt { get; init; }

    /// <summary>When a store write last failed.</summary>
    public DateTimeOffset? LastStoreFailureAt { get; init; }

    /// <summary>Why the last store write failed.</summary>
    public string? LastStoreError { get; init; }

    /// <summary>Store writes that failed since start.</summary>
    public long StoreFailures { get; init; }

    /// <summary>Describes the status in one line.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"feed {FeedState}, last message {Format(LastMessageAt)}, {Messages} messages, {Rejected} rejected, {Reconnects} reconnects, charts {ChartsStored}/{Series} stored, {AwaitingBackfill} awaiting backfill, {PendingLiveWrites} live writes pending, last store write {Format(LastStoreSuccessAt)}, {StoreFailures} store failures");

    private static string Format(DateTimeOffset? time) => time is { } t ? t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "never";
}
