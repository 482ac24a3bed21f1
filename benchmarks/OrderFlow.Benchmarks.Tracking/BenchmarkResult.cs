using System.Text.Json.Serialization;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>One measured benchmark as stored in latest.json and baseline.json.</summary>
/// <param name="Id">Stable identity: Type.Method, then "(parameters)" when the benchmark has any.</param>
/// <param name="Type">The benchmark class as BenchmarkDotNet names it (no namespace).</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">BenchmarkDotNet's parameter text, e.g. "N=10, Size=3"; empty when none.</param>
/// <param name="IsBaseline">True for the method marked [Benchmark(Baseline = true)] in its class.</param>
/// <param name="MeanNs">Mean time of one operation in nanoseconds.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per operation; null when not measured.</param>
/// <param name="Ratio">Mean divided by the mean of its class's baseline method with the same parameters;
/// null when the class has no baseline.</param>
public sealed record BenchmarkResult(
    string Id,
    string Type,
    string Method,
    string Parameters,
    bool IsBaseline,
    double MeanNs,
    long? AllocatedBytes,
    double? Ratio)
{
    /// <summary>Operations per second, from the mean (ticks per second when the benchmark's operation is one tick).</summary>
    [JsonIgnore]
    public double OperationsPerSecond => MeanNs > 0 ? 1e9 / MeanNs : 0;
}
