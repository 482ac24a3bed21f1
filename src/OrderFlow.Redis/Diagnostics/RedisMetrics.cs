using System.Diagnostics.Metrics;

namespace OrderFlow.Redis.Diagnostics;

/// <summary>The instruments of the <c>OrderFlow.Redis</c> meter. Tag values are fixed, low-cardinality strings.</summary>
internal sealed class RedisMetrics : IDisposable
{
    public const string MeterName = "OrderFlow.Redis";

    private readonly Meter? _ownedMeter;

    public RedisMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        Writes = meter.CreateCounter<long>("orderflow.redis.writes", "{write}", "Chart store writes, by kind (chart, live) and result (written, unchanged).");
        WriteDuration = meter.CreateHistogram<double>("orderflow.redis.write.duration", "s", "Time to serialise and store a write, by kind.");
        Errors = meter.CreateCounter<long>("orderflow.redis.errors", "{error}", "Failed chart store operations and handler errors, by operation.");
        Rejected = meter.CreateCounter<long>("orderflow.redis.rejected", "{candle}", "Invalid stored candles or values skipped on load.");
    }

    public Counter<long> Writes { get; }

    public Histogram<double> WriteDuration { get; }

    public Counter<long> Errors { get; }

    public Counter<long> Rejected { get; }

    public void Write(string kind, bool written, TimeSpan duration)
    {
        Writes.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", written ? "written" : "unchanged"));
        WriteDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Error(string operation) => Errors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Dispose() => _ownedMeter?.Dispose();
}
