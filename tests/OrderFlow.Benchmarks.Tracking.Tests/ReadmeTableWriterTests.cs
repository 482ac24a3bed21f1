namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class ReadmeTableWriterTests
{
    private const string Before = "# Benchmarks\n\nHand-written text about the baseline.\n\n";
    private const string After = "\n## Notes\n\nMore hand-written text.\n";

    [Fact]
    public void Regenerating_the_table_keeps_the_text_outside_the_markers()
    {
        var readme = Before + "<!-- bench:begin -->\n| old | table |\n<!-- bench:end -->" + After;

        var updated = ReadmeTableWriter.Update(readme, TestData.ReadRun(), "README.md");

        Assert.StartsWith(Before + "<!-- bench:begin -->\n", updated, StringComparison.Ordinal);
        Assert.EndsWith("<!-- bench:end -->" + After, updated, StringComparison.Ordinal);
        Assert.DoesNotContain("| old | table |", updated, StringComparison.Ordinal);
        Assert.Contains("| SumBenchmarks.Linq | 90.19 ns | 0.19 | 0 B | 11.09 M |", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_shows_the_environment_and_every_benchmark()
    {
        var table = ReadmeTableWriter.RenderTable(TestData.ReadRun());

        Assert.Contains("| Date | CPU | Cores | OS | .NET runtime | BenchmarkDotNet | Job |", table, StringComparison.Ordinal);
        Assert.Contains(
            "| 2026-11-24 09:03:12 | Intel Xeon Processor | 1 CPU, 2 physical / 2 logical cores | Linux Debian GNU/Linux 12 (bookworm) | .NET 10.0.12",
            table,
            StringComparison.Ordinal);
        Assert.Contains("| Benchmark | Mean | Ratio | Allocated/op | Ops/s |", table, StringComparison.Ordinal);
        Assert.Contains("| SumBenchmarks.ForLoop | 474.93 ns | 1.00 (baseline) | 0 B | 2.11 M |", table, StringComparison.Ordinal);
        Assert.Contains("| SumBenchmarks.Copy | 231.67 ns | 0.49 | 4,056 B | 4.32 M |", table, StringComparison.Ordinal);
        Assert.Contains("| NoBaselineBenchmarks.SmallArray | 8.23 ns | - | 40 B | 121.51 M |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Regenerating_twice_gives_the_same_readme()
    {
        var run = TestData.ReadRun();
        var once = ReadmeTableWriter.Update(Before + "<!-- bench:begin -->\n<!-- bench:end -->" + After, run, "README.md");

        Assert.Equal(once, ReadmeTableWriter.Update(once, run, "README.md"));
    }

    [Fact]
    public void Windows_line_ends_are_kept()
    {
        var readme = "# B\r\n\r\n<!-- bench:begin -->\r\nold\r\n<!-- bench:end -->\r\ntail\r\n";

        var updated = ReadmeTableWriter.Update(readme, TestData.ReadRun(), "README.md");

        Assert.DoesNotContain("\n", updated.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("<!-- bench:end -->\r\ntail\r\n", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readme_without_markers_gets_them_appended()
    {
        var updated = ReadmeTableWriter.Update(Before, TestData.ReadRun(), "README.md");

        Assert.StartsWith(Before, updated, StringComparison.Ordinal);
        Assert.Contains(ReadmeTableWriter.BeginMarker, updated, StringComparison.Ordinal);
        Assert.EndsWith(ReadmeTableWriter.EndMarker + "\n", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_readme_is_created_with_an_explanation_and_the_markers()
    {
        var created = ReadmeTableWriter.Update(null, TestData.ReadRun(), "README.md");

        Assert.Contains("./build.sh bench", created, StringComparison.Ordinal);
        Assert.Contains("Baseline = true", created, StringComparison.Ordinal);
        Assert.Contains("30 %", created, StringComparison.Ordinal);
        Assert.Contains("bench:begin", created, StringComparison.Ordinal);
        Assert.Contains(ReadmeTableWriter.BeginMarker + "\n", created, StringComparison.Ordinal);
        Assert.EndsWith(ReadmeTableWriter.EndMarker + "\n", created, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text\n<!-- bench:begin -->\ntable\n", "no '<!-- bench:end -->' after it")]
    [InlineData("text\n<!-- bench:end -->\ntable\n", "no '<!-- bench:begin -->' before it")]
    [InlineData("<!-- bench:begin -->\n<!-- bench:begin -->\n<!-- bench:end -->\n", "appears twice")]
    public void Broken_markers_are_a_clear_error(string readme, string expected)
    {
        var ex = Assert.Throws<TrackingException>(() => ReadmeTableWriter.Update(readme, TestData.ReadRun(), "benchmarks/README.md"));

        Assert.Contains("benchmarks/README.md", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
