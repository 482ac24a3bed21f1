using System.Text;
using static OrderFlow.Benchmarks.Tracking.Format;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>Writes latest.md: the run's figures and what the comparison with the baseline found.</summary>
public static class MarkdownSummaryWriter
{
    public static string Render(BenchmarkRun latest, BenchmarkRun? baseline, ComparisonResult comparison)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(comparison);

        var text = new StringBuilder();
        text.Append("# Benchmark results\n\n");
        MarkdownTables.AppendEnvironment(text, latest);
        text.Append('\n');
        MarkdownTables.AppendResults(text, latest);
        text.Append("\nRatio: mean divided by the mean of the class's baseline method ([Benchmark(Baseline = true)]) ")
            .Append("with the same parameters; `-` when the class has none.\n\n");

        text.Append("## Comparison with the baseline\n\n");
        if (!comparison.HasBaseline || baseline is null)
        {
            text.Append("No baseline file: nothing to compare with (`./build.sh bench --update-baseline` creates it).\n");
            AppendFindings(text, comparison);
            return text.ToString();
        }

        text.Append(comparison.Failed ? "**FAILED**" : "OK")
            .Append(" (baseline of ").Append(baseline.Date)
            .Append(", ratio tolerance ").Append(Percent(comparison.Tolerance, withSign: false)).Append(")\n");
        AppendFindings(text, comparison);
        AppendList(text, "New benchmarks", comparison.Added);
        AppendList(text, "Removed benchmarks", comparison.Removed);
        AppendList(text, "Not run (filtered out)", comparison.NotRun);

        text.Append("\n| Benchmark | Ratio (baseline → now) | Allocated/op (baseline → now) | Mean (baseline → now) |\n");
        text.Append("|---|---:|---:|---:|\n");
        var before = baseline.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        foreach (var now in latest.Benchmarks)
        {
            if (before.TryGetValue(now.Id, out var then))
            {
                text.Append("| ").Append(Cell(now.Id))
                    .Append(" | ").Append(Ratio(then.Ratio)).Append(" → ").Append(Ratio(now.Ratio))
                    .Append(" | ").Append(Bytes(then.AllocatedBytes)).Append(" → ").Append(Bytes(now.AllocatedBytes))
                    .Append(" | ").Append(Duration(then.MeanNs)).Append(" → ").Append(Duration(now.MeanNs))
                    .Append(" |\n");
            }
        }

        return text.ToString();
    }

    private static void AppendFindings(StringBuilder text, ComparisonResult comparison)
    {
        AppendList(text, "Failures", comparison.Failures.Select(f => f.Message).ToList());
        AppendList(text, "Warnings", comparison.Warnings.Select(f => f.Message).ToList());
        AppendList(text, "Notes", comparison.Notes.Select(f => f.Message).ToList());
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append('\n').Append(title).Append(":\n\n");
        foreach (var item in items)
        {
            text.Append("- ").Append(item).Append('\n');
        }
    }
}
