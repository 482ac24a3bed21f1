namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The results of one benchmark run: the schema of latest.json and baseline.json.</summary>
/// <param name="SchemaVersion">Version of this file format.</param>
/// <param name="Date">When the benchmarks ran ("yyyy-MM-dd HH:mm:ss", the run's local time).</param>
/// <param name="Job">BenchmarkDotNet's job description, e.g. "ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)".</param>
/// <param name="Host">The machine.</param>
/// <param name="Benchmarks">The benchmarks that produced a result.</param>
/// <param name="Failed">Ids of benchmarks that were run but produced no result (they threw or did not build).</param>
public sealed record BenchmarkRun(
    int SchemaVersion,
    string Date,
    string Job,
    HostInfo Host,
    IReadOnlyList<BenchmarkResult> Benchmarks,
    IReadOnlyList<string> Failed)
{
    public const int CurrentSchemaVersion = 1;
}
