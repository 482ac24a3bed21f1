namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class BenchmarkRunBuilderTests
{
    [Fact]
    public void Ratios_are_to_the_baseline_method_of_the_same_class_and_parameters()
    {
        var run = TestData.ReadRun();
        BenchmarkResult Get(string id) => Assert.Single(run.Benchmarks, b => b.Id == id);

        Assert.Equal(1.0, Get("SumBenchmarks.ForLoop").Ratio);
        Assert.True(Get("SumBenchmarks.ForLoop").IsBaseline);
        Assert.Equal(Math.Round(90.1904588341713 / 474.9332752227783, 4), Get("SumBenchmarks.Linq").Ratio);
        Assert.False(Get("SumBenchmarks.Linq").IsBaseline);
        Assert.Equal(Math.Round(231.6668356259664 / 474.9332752227783, 4), Get("SumBenchmarks.Copy").Ratio);

        Assert.Equal(Math.Round(46.52935588359833 / 4.105425449709098, 4), Get("ParamBenchmarks.Concat(N=10)").Ratio);
        Assert.Equal(Math.Round(226.82305892308554 / 34.34002033869425, 4), Get("ParamBenchmarks.Concat(N=100)").Ratio);
        Assert.Equal(1.0, Get("ParamBenchmarks.Xor(N=100)").Ratio);

        Assert.Null(Get("NoBaselineBenchmarks.SmallArray").Ratio);
    }

    [Fact]
    public void Results_keep_means_allocations_ids_and_the_environment()
    {
        var run = TestData.ReadRun();

        Assert.Equal(
            [
                "NoBaselineBenchmarks.SmallArray",
                "ParamBenchmarks.Xor(N=10)", "ParamBenchmarks.Concat(N=10)", "ParamBenchmarks.Xor(N=100)", "ParamBenchmarks.Concat(N=100)",
                "SumBenchmarks.ForLoop", "SumBenchmarks.Linq", "SumBenchmarks.Copy",
            ],
            run.Benchmarks.Select(b => b.Id));
        var copy = Assert.Single(run.Benchmarks, b => b.Id == "SumBenchmarks.Copy");
        Assert.Equal(231.667, copy.MeanNs);
        Assert.Equal(4056, copy.AllocatedBytes);
        Assert.Equal("2026-11-24 09:03:12", run.Date);
        Assert.Equal("ShortRun(IterationCount=3, LaunchCount=1, WarmupCount=3)", run.Job);
        Assert.Equal("Intel Xeon Processor", run.Host.Cpu);
        Assert.Empty(run.Failed);
    }

    [Fact]
    public void Without_known_baselines_there_are_no_ratios()
    {
        var run = BenchmarkRunBuilder.Build(BenchmarkReportReader.ReadDirectory(TestData.Reports), BaselineMethods.None, "now");

        Assert.All(run.Benchmarks, b => Assert.Null(b.Ratio));
        Assert.All(run.Benchmarks, b => Assert.False(b.IsBaseline));
    }

    [Fact]
    public void A_benchmark_without_result_is_listed_as_failed()
    {
        var run = BenchmarkRunBuilder.Build(BenchmarkReportReader.ReadDirectory(TestData.Failing), TestData.Baselines, "now");

        Assert.Equal(["FailingBenchmarks.Throws"], run.Failed);
        Assert.Equal("FailingBenchmarks.Ok", Assert.Single(run.Benchmarks).Id);
    }

    [Fact]
    public void The_same_benchmark_in_several_jobs_gets_the_job_in_its_id_and_its_own_baseline()
    {
        MeasuredBenchmark Measured(string method, string job, double mean) =>
            new("BenchTry", "SumBenchmarks", method, "", job, mean, 0, "x.json");
        var reports = new ReportSet(
            Runs.Host,
            null,
            ["x.json"],
            [Measured("ForLoop", "Job-A", 10), Measured("Linq", "Job-A", 5), Measured("ForLoop", "Job-B", 20), Measured("Linq", "Job-B", 5)]);

        var run = BenchmarkRunBuilder.Build(reports, TestData.Baselines, "2026-01-01 00:00:00");

        Assert.Equal(0.5, Assert.Single(run.Benchmarks, b => b.Id == "SumBenchmarks.Linq [Job-A]").Ratio);
        Assert.Equal(0.25, Assert.Single(run.Benchmarks, b => b.Id == "SumBenchmarks.Linq [Job-B]").Ratio);
        Assert.Equal("2026-01-01 00:00:00", run.Date);
        Assert.Equal("Job-A; Job-B", run.Job);
    }
}
