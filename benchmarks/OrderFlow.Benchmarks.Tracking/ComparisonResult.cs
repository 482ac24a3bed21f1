namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The outcome of comparing a run with the baseline.</summary>
/// <param name="HasBaseline">False when there was no baseline file to compare with.</param>
/// <param name="Tolerance">The ratio tolerance used (0.30 for 30 %).</param>
/// <param name="Findings">Failures, warnings and notes, in benchmark order.</param>
/// <param name="Added">Benchmarks of this run that the baseline does not have.</param>
/// <param name="Removed">Benchmarks of the baseline that this run does not have (a full run only).</param>
/// <param name="NotRun">Benchmarks of the baseline that a partial (filtered) run left out.</param>
public sealed record ComparisonResult(
    bool HasBaseline,
    double Tolerance,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> NotRun)
{
    public IEnumerable<Finding> Failures => Findings.Where(f => f.Severity == FindingSeverity.Failure);

    public IEnumerable<Finding> Warnings => Findings.Where(f => f.Severity == FindingSeverity.Warning);

    public IEnumerable<Finding> Notes => Findings.Where(f => f.Severity == FindingSeverity.Note);

    public bool Failed => Failures.Any();
}
