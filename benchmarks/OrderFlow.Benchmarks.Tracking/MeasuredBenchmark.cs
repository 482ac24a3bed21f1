namespace OrderFlow.Benchmarks.Tracking;

/// <summary>One benchmark as read from a BenchmarkDotNet report, before ids and ratios are worked out.</summary>
/// <param name="Namespace">Namespace of the benchmark class; empty for the global namespace.</param>
/// <param name="Type">The class as BenchmarkDotNet names it (no namespace; generic arguments in angle brackets).</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">BenchmarkDotNet's parameter text; empty when none.</param>
/// <param name="Job">The job's display text, e.g. "ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)".</param>
/// <param name="MeanNs">Mean nanoseconds per operation; null when the benchmark produced no result.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation; null when not measured.</param>
/// <param name="SourceFile">The report file it came from.</param>
public sealed record MeasuredBenchmark(
    string Namespace,
    string Type,
    string Method,
    string Parameters,
    string Job,
    double? MeanNs,
    long? AllocatedBytes,
    string SourceFile);
