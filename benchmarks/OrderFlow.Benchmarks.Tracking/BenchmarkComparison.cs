using static OrderFlow.Benchmarks.Tracking.Format;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>
/// Compares a run with the committed baseline:
/// an allocation-free benchmark that now allocates is a failure, a ratio that worsened by more than the tolerance is a
/// warning, and a benchmark that produced no result is a failure.
/// </summary>
public static class BenchmarkComparison
{
    /// <summary>30 %: ratios from a short CI job move by a few percent between runs; this leaves room for that.</summary>
    public const double DefaultTolerance = 0.30;

    public static ComparisonResult Compare(BenchmarkRun? baseline, BenchmarkRun latest, double tolerance = DefaultTolerance, bool partial = false)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);

        var findings = latest.Failed
            .Select(id => new Finding(
                FindingSeverity.Failure, id, $"{id} produced no result: it failed to build or run (see the BenchmarkDotNet log)"))
            .ToList();
        if (baseline is null)
        {
            return new ComparisonResult(false, tolerance, findings, [], [], []);
        }

        var before = baseline.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var now in latest.Benchmarks)
        {
            if (!before.TryGetValue(now.Id, out var then))
            {
                added.Add(now.Id);
                continue;
            }

            if (then.AllocatedBytes == 0 && now.AllocatedBytes > 0)
            {
                findings.Add(new Finding(
                    FindingSeverity.Failure,
                    now.Id,
                    $"allocation regression: {now.Id} was allocation-free in the baseline and now allocates {Bytes(now.AllocatedBytes)}/op"));
            }

            if (then.Ratio is { } oldRatio && now.Ratio is { } newRatio && oldRatio > 0 && !now.IsBaseline)
            {
                var change = (newRatio / oldRatio) - 1;
                if (change > tolerance)
                {
                    findings.Add(new Finding(
                        FindingSeverity.Warning,
                        now.Id,
                        $"ratio regression: {now.Id} ratio {Ratio(oldRatio)} -> {Ratio(newRatio)} " +
                        $"({Percent(change)}, tolerance {Percent(tolerance, withSign: false)})"));
                }
                else if (change < -tolerance)
                {
                    findings.Add(new Finding(
                        FindingSeverity.Note,
                        now.Id,
                        $"ratio improvement: {now.Id} ratio {Ratio(oldRatio)} -> {Ratio(newRatio)} ({Percent(change)}); " +
                        "consider --update-baseline"));
                }
            }
        }

        var present = latest.Benchmarks.Select(b => b.Id).Concat(latest.Failed).ToHashSet(StringComparer.Ordinal);
        var missing = baseline.Benchmarks.Select(b => b.Id).Where(id => !present.Contains(id)).ToList();
        return partial
            ? new ComparisonResult(true, tolerance, findings, added, [], missing)
            : new ComparisonResult(true, tolerance, findings, added, missing, []);
    }
}
