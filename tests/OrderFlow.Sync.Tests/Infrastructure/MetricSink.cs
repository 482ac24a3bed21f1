using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>
/// Sums the counters of one meter factory (one host), by name and by name|tag=value. Up-down counters sum to their
/// current value (connected clients: +1 on connect, -1 on leave).
/// </summary>
internal sealed class MetricSink : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new();

    public MetricSink(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public double this[string key] => _sums.TryGetValue(key, out var v) ? v : 0;

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _sums.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
        foreach (var tag in tags)
        {
            _sums.AddOrUpdate($"{instrument.Name}|{tag.Key}={tag.Value}", value, (_, old) => old + value);
        }
    }
}
