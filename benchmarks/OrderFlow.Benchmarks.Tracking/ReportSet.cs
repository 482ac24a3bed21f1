namespace OrderFlow.Benchmarks.Tracking;

/// <summary>Everything read from a directory of BenchmarkDotNet reports.</summary>
/// <param name="Host">The machine (from the first report that has it).</param>
/// <param name="Date">Latest run time found in the reports' titles ("yyyy-MM-dd HH:mm:ss"); null when none has one.</param>
/// <param name="Files">The report files read, in order.</param>
/// <param name="Benchmarks">The benchmarks, in file order then report order.</param>
public sealed record ReportSet(
    HostInfo Host,
    string? Date,
    IReadOnlyList<string> Files,
    IReadOnlyList<MeasuredBenchmark> Benchmarks);
