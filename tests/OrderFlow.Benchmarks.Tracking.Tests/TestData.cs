namespace OrderFlow.Benchmarks.Tracking.Tests;

/// <summary>Paths of the test data copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>Three reports of a real short run: SumBenchmarks, ParamBenchmarks (N=10, 100), NoBaselineBenchmarks.</summary>
    public static string Reports { get; } = Path.Combine(Root, "reports");

    /// <summary>A dry run where FailingBenchmarks.Throws threw (its Statistics are null).</summary>
    public static string Failing { get; } = Path.Combine(Root, "failing");

    /// <summary>A report cut in the middle.</summary>
    public static string Malformed { get; } = Path.Combine(Root, "malformed");

    /// <summary>The baseline methods of the stub benchmark classes in this assembly (they match the reports).</summary>
    public static BaselineMethods Baselines { get; } =
        BaselineMethodLocator.FromAssembly(typeof(BenchTry.SumBenchmarks).Assembly.Location);

    public static BenchmarkRun ReadRun() =>
        BenchmarkRunBuilder.Build(BenchmarkReportReader.ReadDirectory(Reports), Baselines, "2000-01-01 00:00:00");
}
