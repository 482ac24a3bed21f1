namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class TrackingOptionsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var options = TrackingOptions.Parse(
        [
            "--results", "r", "--assembly", "a.dll", "--baseline", "b.json", "--output", "o", "--readme", "R.md",
            "--tolerance", "12.5%", "--partial", "--update-baseline",
        ]);

        Assert.Equal("r", options.ResultsDirectory);
        Assert.Equal("a.dll", options.AssemblyPath);
        Assert.Equal("b.json", options.BaselinePath);
        Assert.Equal("o", options.OutputDirectory);
        Assert.Equal("R.md", options.ReadmePath);
        Assert.Equal(0.125, options.Tolerance);
        Assert.True(options.Partial);
        Assert.True(options.UpdateBaseline);
    }

    [Fact]
    public void Defaults_follow_the_repository_layout()
    {
        var options = TrackingOptions.Parse(["--results", "r"]);

        Assert.Equal(Path.Combine("benchmarks", "baseline.json"), options.BaselinePath);
        Assert.Equal(Path.Combine("benchmarks", "README.md"), options.ReadmePath);
        Assert.Equal(0.30, options.Tolerance);
        Assert.Null(TrackingOptions.Parse(["--results", "r", "--no-readme"]).ReadmePath);
    }

    [Theory]
    [InlineData(new[] { "--assembly", "a.dll" }, "--results is required")]
    [InlineData(new[] { "--results" }, "--results needs a value")]
    [InlineData(new[] { "--results", "r", "--tolerance", "lots" }, "'lots' is not a percentage")]
    [InlineData(new[] { "--results", "r", "--tolerance", "-5" }, "'-5' is not a percentage")]
    [InlineData(new[] { "--results", "r", "--frobnicate" }, "unknown option '--frobnicate'")]
    public void Bad_command_lines_are_clear_errors(string[] args, string expected)
    {
        var ex = Assert.Throws<TrackingException>(() => TrackingOptions.Parse(args));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
