using System.Text;
using static OrderFlow.Benchmarks.Tracking.Format;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The markdown tables shared by latest.md and the README.</summary>
public static class MarkdownTables
{
    /// <summary>Date, CPU, cores, OS, .NET runtime, BenchmarkDotNet version and job of a run.</summary>
    public static void AppendEnvironment(StringBuilder text, BenchmarkRun run)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(run);
        var host = run.Host;
        text.Append("| Date | CPU | Cores | OS | .NET runtime | BenchmarkDotNet | Job |\n");
        text.Append("|---|---|---|---|---|---|---|\n");
        text.Append("| ").Append(Cell(run.Date))
            .Append(" | ").Append(Cell(host.Cpu))
            .Append(" | ").Append(Cell(host.CoreSummary))
            .Append(" | ").Append(Cell(host.Os))
            .Append(" | ").Append(Cell(host.Runtime))
            .Append(" | ").Append(Cell(host.BenchmarkDotNet))
            .Append(" | ").Append(Cell(run.Job.Length == 0 ? "-" : run.Job))
            .Append(" |\n");
    }

    /// <summary>One row per benchmark: mean, ratio to the class's baseline, allocated bytes and operations per second.</summary>
    public static void AppendResults(StringBuilder text, BenchmarkRun run)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(run);
        text.Append("| Benchmark | Mean | Ratio | Allocated/op | Ops/s |\n");
        text.Append("|---|---:|---:|---:|---:|\n");
        foreach (var benchmark in run.Benchmarks)
        {
            text.Append("| ").Append(Cell(benchmark.Id))
                .Append(" | ").Append(Duration(benchmark.MeanNs))
                .Append(" | ").Append(benchmark.IsBaseline ? $"{Ratio(benchmark.Ratio)} (baseline)" : Ratio(benchmark.Ratio))
                .Append(" | ").Append(Bytes(benchmark.AllocatedBytes))
                .Append(" | ").Append(Rate(benchmark.OperationsPerSecond))
                .Append(" |\n");
        }

        foreach (var id in run.Failed)
        {
            text.Append("| ").Append(Cell(id)).Append(" | failed | - | - | - |\n");
        }
    }
}
