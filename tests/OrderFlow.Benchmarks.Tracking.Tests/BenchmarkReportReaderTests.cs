namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class BenchmarkReportReaderTests
{
    [Fact]
    public void ReadDirectory_reads_every_report_with_means_allocations_and_host()
    {
        var reports = BenchmarkReportReader.ReadDirectory(TestData.Reports);

        Assert.Equal(3, reports.Files.Count);
        Assert.Equal(8, reports.Benchmarks.Count);

        var copy = Assert.Single(reports.Benchmarks, b => b.Type == "SumBenchmarks" && b.Method == "Copy");
        Assert.Equal("BenchTry", copy.Namespace);
        Assert.Equal("", copy.Parameters);
        Assert.Equal(231.6668356259664, copy.MeanNs);
        Assert.Equal(4056, copy.AllocatedBytes);
        Assert.Equal("ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)", copy.Job);

        var xor = Assert.Single(reports.Benchmarks, b => b.Method == "Xor" && b.Parameters == "N=100");
        Assert.Equal(34.34002033869425, xor.MeanNs);
        Assert.Equal(0, xor.AllocatedBytes);

        Assert.Equal("Intel Xeon Processor", reports.Host.Cpu);
        Assert.Equal(2, reports.Host.PhysicalCores);
        Assert.Equal(2, reports.Host.LogicalCores);
        Assert.Equal("Linux Debian GNU/Linux 12 (bookworm)", reports.Host.Os);
        Assert.StartsWith(".NET 10.0", reports.Host.Runtime, StringComparison.Ordinal);
        Assert.Equal("0.15.8", reports.Host.BenchmarkDotNet);
        Assert.Equal("2026-11-24 09:03:12", reports.Date);
    }

    [Fact]
    public void A_benchmark_that_threw_has_no_mean()
    {
        var reports = BenchmarkReportReader.ReadDirectory(TestData.Failing);

        Assert.Equal(200692, Assert.Single(reports.Benchmarks, b => b.Method == "Ok").MeanNs);
        var throws = Assert.Single(reports.Benchmarks, b => b.Method == "Throws");
        Assert.Null(throws.MeanNs);
        Assert.Null(throws.AllocatedBytes);
        Assert.Equal("", throws.Namespace);
    }

    [Fact]
    public void A_malformed_report_is_refused_with_the_file_name()
    {
        var ex = Assert.Throws<TrackingException>(() => BenchmarkReportReader.ReadDirectory(TestData.Malformed));

        Assert.Contains("BenchTry.SumBenchmarks-report-full-compressed.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n")]
    public void An_empty_report_is_refused_with_the_file_name(string content)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("Empty-report-full-compressed.json"), content);

        var ex = Assert.Throws<TrackingException>(() => BenchmarkReportReader.ReadDirectory(dir.Path));

        Assert.Contains("Empty-report-full-compressed.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Title":"x"}""", "no 'Benchmarks' array")]
    [InlineData("""[1, 2]""", "the top level is an array")]
    [InlineData("""{"Benchmarks":[]}""", "lists no benchmarks")]
    [InlineData("""{"Benchmarks":[{"Method":"M"}]}""", "benchmark #1 has no 'Type'")]
    [InlineData("""{"Benchmarks":[{"Type":"T","Method":"M","Statistics":{"Mean":true}}]}""", "'Statistics.Mean' is a boolean")]
    public void A_json_file_that_is_not_a_report_is_refused_with_what_is_wrong(string json, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("Odd-report-full-compressed.json"), json);

        var ex = Assert.Throws<TrackingException>(() => BenchmarkReportReader.ReadDirectory(dir.Path));

        Assert.Contains("Odd-report-full-compressed.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_reports_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("SumBenchmarks-report.csv"), "Method,Mean\n");

        var ex = Assert.Throws<TrackingException>(() => BenchmarkReportReader.ReadDirectory(dir.Path));

        Assert.Contains("no BenchmarkDotNet JSON reports", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_refused()
    {
        var missing = Path.Combine(TestData.Root, "no-such-dir");

        var ex = Assert.Throws<TrackingException>(() => BenchmarkReportReader.ReadDirectory(missing));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindReports_takes_one_report_per_class_preferring_the_full_one()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("A-report-brief.json"), "{}");
        File.WriteAllText(dir.File("A-report-full-compressed.json"), "{}");
        File.WriteAllText(dir.File("B-report-full.json"), "{}");
        File.WriteAllText(dir.File("B-report-github.md"), "");

        var files = BenchmarkReportReader.FindReports(dir.Path).Select(Path.GetFileName);

        Assert.Equal(["A-report-full-compressed.json", "B-report-full.json"], files);
    }

    [Theory]
    [InlineData("SumBenchmarks.ForLoop: ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)", "", "ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)")]
    [InlineData("ParamBenchmarks.Xor: DefaultJob [N=10]", "N=10", "DefaultJob")]
    [InlineData(null, "", "")]
    public void JobFromDisplayInfo_strips_the_method_and_the_parameters(string? displayInfo, string parameters, string expected) =>
        Assert.Equal(expected, BenchmarkReportReader.JobFromDisplayInfo(displayInfo, parameters));
}
