namespace OrderFlow.Benchmarks.Tracking;

/// <summary>Turns reports into a <see cref="BenchmarkRun"/>: stable ids, and each benchmark's ratio to its class's baseline.</summary>
public static class BenchmarkRunBuilder
{
    public static BenchmarkRun Build(ReportSet reports, BaselineMethods baselines, string fallbackDate)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(baselines);

        var measured = reports.Benchmarks;
        var ids = AssignIds(measured);

        // The baseline of a benchmark: the baseline method of the same class, parameters and job.
        var baselineMeans = new Dictionary<(string, string, string, string), double?>();
        var ambiguous = new HashSet<(string, string, string, string)>();
        foreach (var benchmark in measured.Where(b => baselines.Contains(b.Namespace, b.Type, b.Method)))
        {
            var group = GroupOf(benchmark);
            if (!baselineMeans.TryAdd(group, benchmark.MeanNs))
            {
                ambiguous.Add(group);
            }
        }

        var results = new List<BenchmarkResult>();
        var failed = new List<string>();
        for (var i = 0; i < measured.Count; i++)
        {
            var benchmark = measured[i];
            if (benchmark.MeanNs is not { } mean)
            {
                failed.Add(ids[i]);
                continue;
            }

            var group = GroupOf(benchmark);
            double? ratio = !ambiguous.Contains(group) && baselineMeans.TryGetValue(group, out var baseline) && baseline > 0
                ? Math.Round(mean / baseline.Value, 4)
                : null;
            results.Add(new BenchmarkResult(
                ids[i],
                benchmark.Type,
                benchmark.Method,
                benchmark.Parameters,
                baselines.Contains(benchmark.Namespace, benchmark.Type, benchmark.Method),
                Math.Round(mean, 3),
                benchmark.AllocatedBytes,
                ratio));
        }

        var jobs = measured.Select(b => b.Job).Where(j => j.Length > 0).Distinct(StringComparer.Ordinal);
        return new BenchmarkRun(
            BenchmarkRun.CurrentSchemaVersion,
            reports.Date ?? fallbackDate,
            string.Join("; ", jobs),
            reports.Host,
            results,
            failed);
    }

    /// <summary>"Type.Method", then "(parameters)" when there are any; the job is added only when a benchmark ran in several.</summary>
    private static string[] AssignIds(IReadOnlyList<MeasuredBenchmark> measured)
    {
        var plain = measured.Select(PlainId).ToArray();
        var counts = plain.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ids = new string[measured.Count];
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < measured.Count; i++)
        {
            ids[i] = counts[plain[i]] > 1 && measured[i].Job.Length > 0 ? $"{plain[i]} [{measured[i].Job}]" : plain[i];
            if (!seen.TryAdd(ids[i], measured[i].SourceFile))
            {
                throw new TrackingException(
                    $"benchmark {ids[i]} appears twice (in {seen[ids[i]]} and {measured[i].SourceFile}); " +
                    "remove stale reports from the results directory");
            }
        }

        return ids;
    }

    private static string PlainId(MeasuredBenchmark benchmark) => benchmark.Parameters.Length == 0
        ? $"{benchmark.Type}.{benchmark.Method}"
        : $"{benchmark.Type}.{benchmark.Method}({benchmark.Parameters})";

    private static (string, string, string, string) GroupOf(MeasuredBenchmark benchmark) =>
        (benchmark.Namespace, benchmark.Type, benchmark.Parameters, benchmark.Job);
}
