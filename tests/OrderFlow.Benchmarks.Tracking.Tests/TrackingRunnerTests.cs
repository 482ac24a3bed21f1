using System.Text.Json.Nodes;

namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class TrackingRunnerTests
{
    [Fact]
    public void Without_baseline_it_says_so_writes_the_results_and_succeeds()
    {
        using var dir = new TempDirectory();
        var (exit, output) = Run(Options(dir));

        Assert.Equal(TrackingRunner.ExitOk, exit);
        Assert.Contains("no baseline file", output, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("results/latest.json")));
        Assert.Contains("# Benchmark results", File.ReadAllText(dir.File("results/latest.md")), StringComparison.Ordinal);
        Assert.Contains(ReadmeTableWriter.BeginMarker, File.ReadAllText(dir.File("README.md")), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("baseline.json")));
    }

    [Fact]
    public void Update_baseline_writes_it_from_the_run_and_the_next_run_matches_it()
    {
        using var dir = new TempDirectory();

        Assert.Equal(TrackingRunner.ExitOk, Run(Options(dir, updateBaseline: true)).Exit);
        Assert.Equal(File.ReadAllText(dir.File("results/latest.json")), File.ReadAllText(dir.File("baseline.json")));

        var (exit, output) = Run(Options(dir));
        Assert.Equal(TrackingRunner.ExitOk, exit);
        Assert.Contains("0 failure(s), 0 warning(s), 0 new, 0 removed - OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allocation_regression_fails_the_run_and_a_ratio_regression_only_warns()
    {
        using var dir = new TempDirectory();
        Run(Options(dir, updateBaseline: true));
        var baseline = JsonNode.Parse(File.ReadAllText(dir.File("baseline.json")))!;
        foreach (var benchmark in baseline["benchmarks"]!.AsArray())
        {
            var id = (string)benchmark!["id"]!;
            if (id == "SumBenchmarks.Copy")
            {
                benchmark["allocatedBytes"] = 0;
            }
            else if (id == "SumBenchmarks.Linq")
            {
                benchmark["ratio"] = 0.1;
            }
        }

        File.WriteAllText(dir.File("baseline.json"), baseline.ToJsonString());

        var (exit, output) = Run(Options(dir));

        Assert.Equal(TrackingRunner.ExitFailure, exit);
        Assert.Contains(
            "FAILURE  allocation regression: SumBenchmarks.Copy was allocation-free in the baseline and now allocates 4,056 B/op",
            output,
            StringComparison.Ordinal);
        Assert.Contains("WARNING  ratio regression: SumBenchmarks.Linq ratio 0.10 -> 0.19", output, StringComparison.Ordinal);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_run_leaves_the_readme_alone_and_merges_into_the_baseline()
    {
        using var dir = new TempDirectory();
        var extra = Runs.Result("Other.Kept", ratio: 1);
        File.WriteAllText(dir.File("baseline.json"), RunJsonStore.Serialize(Runs.Make(extra)));
        File.WriteAllText(dir.File("README.md"), "hand-written\n");

        var (exit, output) = Run(Options(dir, updateBaseline: true, partial: true));

        Assert.Equal(TrackingRunner.ExitOk, exit);
        Assert.Contains("1 benchmark(s) of the baseline not run", output, StringComparison.Ordinal);
        Assert.Equal("hand-written\n", File.ReadAllText(dir.File("README.md")));
        var merged = RunJsonStore.ReadIfExists(dir.File("baseline.json"))!;
        Assert.Equal(9, merged.Benchmarks.Count);
        Assert.Equal("Other.Kept", merged.Benchmarks[0].Id);
    }

    [Fact]
    public void A_benchmark_without_result_fails_the_run_and_is_not_put_in_the_baseline()
    {
        using var dir = new TempDirectory();

        var (exit, output) = Run(Options(dir, results: TestData.Failing, updateBaseline: true));

        Assert.Equal(TrackingRunner.ExitFailure, exit);
        Assert.Contains("FAILURE  FailingBenchmarks.Throws produced no result", output, StringComparison.Ordinal);
        Assert.Contains("baseline NOT updated", output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("baseline.json")));
    }

    [Fact]
    public void A_malformed_report_is_a_tracking_error_not_a_crash()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<TrackingException>(() => Run(Options(dir, results: TestData.Malformed)));

        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    private static TrackingOptions Options(TempDirectory dir, string? results = null, bool updateBaseline = false, bool partial = false) => new()
    {
        ResultsDirectory = results ?? TestData.Reports,
        AssemblyPath = typeof(BenchTry.SumBenchmarks).Assembly.Location,
        BaselinePath = dir.File("baseline.json"),
        OutputDirectory = dir.File("results"),
        ReadmePath = dir.File("README.md"),
        UpdateBaseline = updateBaseline,
        Partial = partial,
    };

    private static (int Exit, string Output) Run(TrackingOptions options)
    {
        using var output = new StringWriter();
        var exit = new TrackingRunner(output).Run(options);
        return (exit, output.ToString());
    }
}
