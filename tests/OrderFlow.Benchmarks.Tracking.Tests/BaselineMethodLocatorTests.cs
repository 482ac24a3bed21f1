namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class BaselineMethodLocatorTests
{
    [Fact]
    public void Finds_the_methods_marked_baseline_including_inherited_and_nested_ones()
    {
        var baselines = TestData.Baselines;

        Assert.True(baselines.Contains("BenchTry", "SumBenchmarks", "ForLoop"));
        Assert.True(baselines.Contains("BenchTry", "ParamBenchmarks", "Xor"));
        Assert.True(baselines.Contains("BenchTry", "DerivedSumBenchmarks", "ForLoop"));
        Assert.True(baselines.Contains("BenchTry", "NestedBenchmarks", "Inner"));
        Assert.True(baselines.Contains("BenchTry", "Outer.NestedBenchmarks", "Inner"));
        Assert.Equal(4, baselines.Count);
    }

    [Theory]
    [InlineData("BenchTry", "SumBenchmarks", "Linq")]
    [InlineData("BenchTry", "SumBenchmarks", "Copy")]
    [InlineData("BenchTry", "DerivedSumBenchmarks", "Extra")]
    [InlineData("BenchTry", "NoBaselineBenchmarks", "SmallArray")]
    [InlineData("Other", "SumBenchmarks", "ForLoop")]
    [InlineData("Elsewhere", "NotABenchmark", "Baseline")]
    public void Ignores_everything_else(string ns, string type, string method) =>
        Assert.False(TestData.Baselines.Contains(ns, type, method));

    [Fact]
    public void A_missing_assembly_is_a_clear_error()
    {
        var ex = Assert.Throws<TrackingException>(() => BaselineMethodLocator.FromAssembly("/no/such/OrderFlow.Benchmarks.dll"));

        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_clear_error()
    {
        var file = Path.Combine(TestData.Reports, "BenchTry.SumBenchmarks-report-full-compressed.json");

        var ex = Assert.Throws<TrackingException>(() => BaselineMethodLocator.FromAssembly(file));

        Assert.Contains("not a readable .NET assembly", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SumBenchmarks", "SumBenchmarks")]
    [InlineData("Outer.Inner", "Inner")]
    [InlineData("Outer+Inner", "Inner")]
    [InlineData("Generic<Int32>", "Generic")]
    [InlineData("Generic<Dictionary<String, Int32>>", "Generic")]
    [InlineData("Generic`1", "Generic")]
    public void SimpleTypeName_drops_outer_types_and_generic_arguments(string reported, string expected) =>
        Assert.Equal(expected, BaselineMethods.SimpleTypeName(reported));
}
