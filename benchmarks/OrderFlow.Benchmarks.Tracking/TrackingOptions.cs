using System.Globalization;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The tool's command line.</summary>
public sealed class TrackingOptions
{
    public const string Usage =
        """
        usage: OrderFlow.Benchmarks.Tracking --results DIR [options]

          --results DIR        BenchmarkDotNet results directory (with the *-report-full-compressed.json files)
          --assembly FILE      the benchmark assembly, to find the [Benchmark(Baseline = true)] methods (no ratios without it)
          --baseline FILE      baseline to compare with (default benchmarks/baseline.json)
          --output DIR         where latest.json and latest.md go (default benchmarks/results)
          --readme FILE        README whose table is regenerated (default benchmarks/README.md)
          --no-readme          leave the README alone
          --tolerance PERCENT  ratio regression that triggers a warning (default 30)
          --partial            a filtered run: missing benchmarks are "not run", the README is left alone,
                               --update-baseline merges this run into the baseline
          --update-baseline    write the baseline from this run
        exit status: 0 ok (warnings allowed), 1 a failure (allocation regression, benchmark without result), 2 bad input
        """;

    public string ResultsDirectory { get; init; } = "";

    public string? AssemblyPath { get; init; }

    public string BaselinePath { get; init; } = Path.Combine("benchmarks", "baseline.json");

    public string OutputDirectory { get; init; } = Path.Combine("benchmarks", "results");

    public string? ReadmePath { get; init; } = Path.Combine("benchmarks", "README.md");

    /// <summary>A fraction: 0.30 for 30 %.</summary>
    public double Tolerance { get; init; } = BenchmarkComparison.DefaultTolerance;

    public bool Partial { get; init; }

    public bool UpdateBaseline { get; init; }

    public bool ShowHelp { get; init; }

    public static TrackingOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var defaults = new TrackingOptions();
        string? results = null;
        string? assembly = null;
        var baseline = defaults.BaselinePath;
        var output = defaults.OutputDirectory;
        var readme = defaults.ReadmePath;
        var tolerance = defaults.Tolerance;
        var partial = false;
        var updateBaseline = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return new TrackingOptions { ShowHelp = true };
                case "--results":
                    results = Value(args, ref i);
                    break;
                case "--assembly":
                    assembly = Value(args, ref i);
                    break;
                case "--baseline":
                    baseline = Value(args, ref i);
                    break;
                case "--output":
                    output = Value(args, ref i);
                    break;
                case "--readme":
                    readme = Value(args, ref i);
                    break;
                case "--no-readme":
                    readme = null;
                    break;
                case "--tolerance":
                    tolerance = ParseTolerance(Value(args, ref i));
                    break;
                case "--partial":
                    partial = true;
                    break;
                case "--update-baseline":
                    updateBaseline = true;
                    break;
                default:
                    throw new TrackingException($"unknown option '{args[i]}'\n{Usage}");
            }
        }

        return results is null
            ? throw new TrackingException($"--results is required\n{Usage}")
            : new TrackingOptions
            {
                ResultsDirectory = results,
                AssemblyPath = assembly,
                BaselinePath = baseline,
                OutputDirectory = output,
                ReadmePath = readme,
                Tolerance = tolerance,
                Partial = partial,
                UpdateBaseline = updateBaseline,
            };
    }

    /// <summary>"30", "30%" or "12.5" (percent) to a fraction.</summary>
    public static double ParseTolerance(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimEnd('%').Trim();
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
            && percent >= 0 && double.IsFinite(percent)
            ? percent / 100
            : throw new TrackingException($"--tolerance: '{text}' is not a percentage (e.g. 30 for 30 %)");
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (i + 1 >= args.Count || args[i + 1].Length == 0)
        {
            throw new TrackingException($"{name} needs a value\n{Usage}");
        }

        i++;
        return args[i];
    }
}
