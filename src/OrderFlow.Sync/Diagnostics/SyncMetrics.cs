using System.Diagnostics.Metrics;
using OrderFlow.Candles;

namespace OrderFlow.Sync.Diagnostics;

/// <summary>The instruments of the <c>OrderFlow.Sync</c> meter. Tag values are fixed, low-cardinality strings.</summary>
/// <remarks>
/// One metric per fact, counted where the fact is decided: store writes (count, latency, failures) are the store's
/// (<c>orderflow.redis.*</c>), and candles the feed client's parser left out of a history answer are the feed's
/// (<c>orderflow.feed.history.rejected</c>); this meter counts what the engine decides. The table of every instrument
/// is in the main README ("Logs and metrics").
/// </remarks>
internal sealed class SyncMetrics : IDisposable
{
    public const string MeterName = "OrderFlow.Sync";

    private static readonly string[] s_reasons = Enum.GetNames<CandleRejection>().Select(ToSnakeCase).ToArray();
    private readonly Meter? _ownedMeter;

    public SyncMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        Meter = meter;
        Messages = meter.CreateCounter<long>("orderflow.sync.messages", "{message}", "Feed events handled by the sync engine, by type (candle, tick, history, connection, server_error, live_gap).");
        Rejected = meter.CreateCounter<long>("orderflow.sync.rejected", "{candle}", "Candles and ticks rejected by the engine's rules, by reason and source (live, history).");
        Reconnects = meter.CreateCounter<long>("orderflow.sync.reconnects", "{reconnect}", "Feed reconnections (connections after the first).");
        Backfilled = meter.CreateCounter<long>("orderflow.sync.backfilled", "{candle}", "Candles received in backfill answers after a reconnect.");
    }

    public Meter Meter { get; }

    public Counter<long> Messages { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Backfilled { get; }

    public static string ReasonTag(CandleRejection reason) => (uint)reason < (uint)s_reasons.Length ? s_reasons[(int)reason] : "other";

    public void Message(string type) => Messages.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Rejection(CandleRejection reason, string source, long count = 1) =>
        Rejected.Add(count, new KeyValuePair<string, object?>("reason", ReasonTag(reason)), new KeyValuePair<string, object?>("source", source));

    public void Dispose() => _ownedMeter?.Dispose();

    private static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
