using static OrderFlow.Benchmarks.Tracking.Tests.Runs;

namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class BenchmarkComparisonTests
{
    [Fact]
    public void An_allocation_free_benchmark_that_now_allocates_is_a_failure()
    {
        var baseline = Make(Result("Candles.Aggregate", allocated: 0), Result("Candles.Build", allocated: 64));
        var latest = Make(Result("Candles.Aggregate", allocated: 48), Result("Candles.Build", allocated: 128));

        var result = BenchmarkComparison.Compare(baseline, latest);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("Candles.Aggregate", failure.BenchmarkId);
        Assert.Contains("Candles.Aggregate", failure.Message, StringComparison.Ordinal);
        Assert.Contains("48 B/op", failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Still_allocation_free_is_fine()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.B", allocated: 0)), Make(Result("A.B", allocated: 0)));

        Assert.Empty(result.Findings);
        Assert.False(result.Failed);
    }

    [Fact]
    public void A_50_percent_ratio_regression_is_a_warning_naming_both_ratios()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Slow", ratio: 1.20)), Make(Result("A.Slow", ratio: 1.80)));

        var warning = Assert.Single(result.Findings);
        Assert.Equal(FindingSeverity.Warning, warning.Severity);
        Assert.Equal("A.Slow", warning.BenchmarkId);
        Assert.Contains("1.20 -> 1.80", warning.Message, StringComparison.Ordinal);
        Assert.Contains("+50.0 %", warning.Message, StringComparison.Ordinal);
        Assert.False(result.Failed);
    }

    [Fact]
    public void A_10_percent_ratio_regression_is_nothing()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Slow", ratio: 1.00)), Make(Result("A.Slow", ratio: 1.10)));

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void The_tolerance_is_configurable()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Slow", ratio: 1.00)), Make(Result("A.Slow", ratio: 1.10)), tolerance: 0.05);

        Assert.Equal(FindingSeverity.Warning, Assert.Single(result.Findings).Severity);
    }

    [Fact]
    public void A_large_ratio_improvement_is_a_note()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Fast", ratio: 2.0)), Make(Result("A.Fast", ratio: 1.0)));

        Assert.Equal(FindingSeverity.Note, Assert.Single(result.Findings).Severity);
    }

    [Fact]
    public void Missing_ratios_are_not_compared()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.X", ratio: null)), Make(Result("A.X", ratio: 5)));

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void New_and_removed_benchmarks_are_listed()
    {
        var baseline = Make(Result("A.Kept"), Result("A.Gone"));
        var latest = Make(Result("A.Kept"), Result("A.Added"));

        var result = BenchmarkComparison.Compare(baseline, latest);

        Assert.Equal(["A.Added"], result.Added);
        Assert.Equal(["A.Gone"], result.Removed);
        Assert.Empty(result.NotRun);
        Assert.False(result.Failed);
    }

    [Fact]
    public void A_partial_run_lists_missing_benchmarks_as_not_run()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Kept"), Result("A.Other")), Make(Result("A.Kept")), partial: true);

        Assert.Empty(result.Removed);
        Assert.Equal(["A.Other"], result.NotRun);
    }

    [Fact]
    public void Without_baseline_nothing_is_compared_and_nothing_fails()
    {
        var result = BenchmarkComparison.Compare(null, Make(Result("A.B", allocated: 100)));

        Assert.False(result.HasBaseline);
        Assert.False(result.Failed);
        Assert.Empty(result.Added);
        Assert.Empty(result.Removed);
    }

    [Fact]
    public void A_benchmark_without_result_is_a_failure_even_without_baseline()
    {
        var result = BenchmarkComparison.Compare(null, Make([Result("A.Ok")], ["A.Throws"]));

        var failure = Assert.Single(result.Failures);
        Assert.Equal("A.Throws", failure.BenchmarkId);
        Assert.Contains("failed to build or run", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_benchmark_that_failed_is_not_also_listed_as_removed()
    {
        var result = BenchmarkComparison.Compare(Make(Result("A.Throws")), Make([], ["A.Throws"]));

        Assert.Empty(result.Removed);
        Assert.True(result.Failed);
    }
}
