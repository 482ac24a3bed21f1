using System.Globalization;
using static OrderFlow.Benchmarks.Tracking.Format;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>
/// The whole tool: reads the reports, compares them with the baseline, writes latest.json, latest.md and the README
/// table, and prints what it found. Input problems are thrown as <see cref="TrackingException"/>.
/// </summary>
public sealed class TrackingRunner
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadInput = 2;

    private readonly TextWriter _output;
    private readonly TimeProvider _time;

    public TrackingRunner(TextWriter output, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _time = time ?? TimeProvider.System;
    }

    /// <returns><see cref="ExitOk"/> or <see cref="ExitFailure"/>.</returns>
    public int Run(TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var baselines = options.AssemblyPath is null
            ? BaselineMethods.None
            : BaselineMethodLocator.FromAssembly(options.AssemblyPath);
        var reports = BenchmarkReportReader.ReadDirectory(options.ResultsDirectory);
        var now = _time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var latest = BenchmarkRunBuilder.Build(reports, baselines, now);
        Info($"read {reports.Files.Count} report(s), {latest.Benchmarks.Count + latest.Failed.Count} benchmark(s), from {options.ResultsDirectory}");
        if (options.AssemblyPath is null)
        {
            Info("no --assembly given: baseline methods unknown, no ratios");
        }
        else if (baselines.Count == 0)
        {
            Info($"no [Benchmark(Baseline = true)] method in {options.AssemblyPath}: no ratios");
        }

        var baseline = RunJsonStore.ReadIfExists(options.BaselinePath);
        var comparison = BenchmarkComparison.Compare(baseline, latest, options.Tolerance, options.Partial);
        if (baseline is null)
        {
            Info($"no baseline file {options.BaselinePath}: nothing to compare with (--update-baseline creates it)");
        }
        else
        {
            Info($"compared with {options.BaselinePath} ({baseline.Benchmarks.Count} benchmark(s) of {baseline.Date}), " +
                $"ratio tolerance {Percent(options.Tolerance, withSign: false)}");
        }

        Report(comparison);
        WriteOutputs(options, latest, baseline, comparison);

        var accepted = false;
        if (options.UpdateBaseline)
        {
            accepted = UpdateBaseline(options, latest, baseline);
        }

        var failures = comparison.Failures.Count();
        var failed = latest.Failed.Count > 0 || (comparison.Failed && !accepted);
        Info($"{latest.Benchmarks.Count} benchmark(s): {failures} failure(s), {comparison.Warnings.Count()} warning(s), " +
            $"{comparison.Added.Count} new, {comparison.Removed.Count} removed" +
            (failed ? " - FAILED" : comparison.Failed ? " - failures accepted into the baseline" : " - OK"));
        return failed ? ExitFailure : ExitOk;
    }

    private void Report(ComparisonResult comparison)
    {
        foreach (var id in comparison.Added)
        {
            _output.WriteLine($"NEW      {id}");
        }

        foreach (var id in comparison.Removed)
        {
            _output.WriteLine($"REMOVED  {id}");
        }

        if (comparison.NotRun.Count > 0)
        {
            Info($"{comparison.NotRun.Count} benchmark(s) of the baseline not run (filtered out)");
        }

        foreach (var finding in comparison.Findings)
        {
            var label = finding.Severity switch
            {
                FindingSeverity.Failure => "FAILURE ",
                FindingSeverity.Warning => "WARNING ",
                _ => "note    ",
            };
            _output.WriteLine($"{label} {finding.Message}");
        }
    }

    private void WriteOutputs(TrackingOptions options, BenchmarkRun latest, BenchmarkRun? baseline, ComparisonResult comparison)
    {
        var latestJson = Path.Combine(options.OutputDirectory, "latest.json");
        var latestMarkdown = Path.Combine(options.OutputDirectory, "latest.md");
        RunJsonStore.Write(latestJson, latest);
        TextFiles.Write(latestMarkdown, MarkdownSummaryWriter.Render(latest, baseline, comparison));
        var written = new List<string> { latestJson, latestMarkdown };

        if (options.ReadmePath is { } readmePath)
        {
            if (options.Partial)
            {
                Info($"partial run: {readmePath} left as it is");
            }
            else
            {
                var readme = File.Exists(readmePath) ? File.ReadAllText(readmePath) : null;
                TextFiles.Write(readmePath, ReadmeTableWriter.Update(readme, latest, readmePath));
                written.Add(readmePath);
            }
        }

        Info($"wrote {string.Join(", ", written)}");
    }

    /// <returns>Whether the baseline was written.</returns>
    private bool UpdateBaseline(TrackingOptions options, BenchmarkRun latest, BenchmarkRun? baseline)
    {
        if (latest.Failed.Count > 0)
        {
            Info($"baseline NOT updated: {latest.Failed.Count} benchmark(s) produced no result");
            return false;
        }

        var updated = options.Partial && baseline is not null ? Merge(baseline, latest) : latest;
        RunJsonStore.Write(options.BaselinePath, updated);
        Info($"baseline updated: {options.BaselinePath} ({updated.Benchmarks.Count} benchmark(s))");
        return true;
    }

    /// <summary>A partial run replaces the benchmarks it ran and keeps the others.</summary>
    private static BenchmarkRun Merge(BenchmarkRun baseline, BenchmarkRun latest)
    {
        var fresh = latest.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        var merged = baseline.Benchmarks.Select(b => fresh.Remove(b.Id, out var now) ? now : b).ToList();
        merged.AddRange(latest.Benchmarks.Where(b => fresh.ContainsKey(b.Id)));
        return latest with { Benchmarks = merged };
    }

    private void Info(string message) => _output.WriteLine($"bench: {message}");
}
