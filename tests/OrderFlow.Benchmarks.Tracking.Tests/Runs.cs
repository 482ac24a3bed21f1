namespace OrderFlow.Benchmarks.Tracking.Tests;

/// <summary>Small hand-made runs for the comparison tests.</summary>
internal static class Runs
{
    public static readonly HostInfo Host = new("Test CPU", 1, 2, 2, "Test OS", ".NET 10.0.0", "0.15.8");

    public static BenchmarkRun Make(params BenchmarkResult[] benchmarks) => Make(benchmarks, []);

    public static BenchmarkRun Make(BenchmarkResult[] benchmarks, string[] failed) =>
        new(BenchmarkRun.CurrentSchemaVersion, "2026-01-02 03:04:05", "ShortRun", Host, benchmarks, failed);

    public static BenchmarkResult Result(string id, double? ratio = null, long? allocated = 0, double mean = 100, bool baseline = false)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return new BenchmarkResult(id, id[..dot], id[(dot + 1)..], "", baseline, mean, allocated, ratio);
    }
}
