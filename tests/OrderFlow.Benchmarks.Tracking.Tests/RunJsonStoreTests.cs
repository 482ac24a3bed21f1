namespace OrderFlow.Benchmarks.Tracking.Tests;

public sealed class RunJsonStoreTests
{
    [Fact]
    public void A_run_survives_a_round_trip()
    {
        var run = TestData.ReadRun();

        var copy = RunJsonStore.Deserialize(RunJsonStore.Serialize(run), "latest.json");

        Assert.Equal(run.Benchmarks, copy.Benchmarks);
        Assert.Equal(run.Host, copy.Host);
        Assert.Equal(run.Date, copy.Date);
        Assert.Equal(run.Job, copy.Job);
    }

    [Fact]
    public void The_file_uses_camel_case_and_null_ratios()
    {
        var json = RunJsonStore.Serialize(TestData.ReadRun());

        Assert.Contains("\"id\": \"NoBaselineBenchmarks.SmallArray\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ratio\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"allocatedBytes\": 4056", json, StringComparison.Ordinal);
        Assert.DoesNotContain("operationsPerSecond", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("{\"schemaVersion\": 1, \"benchmarks\": [", "not a valid results file")]
    [InlineData("{}", "missing required properties")]
    public void A_broken_baseline_is_a_clear_error(string json, string expected)
    {
        var ex = Assert.Throws<TrackingException>(() => RunJsonStore.Deserialize(json, "benchmarks/baseline.json"));

        Assert.Contains("benchmarks/baseline.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_schema_version_is_refused()
    {
        var json = RunJsonStore.Serialize(Runs.Make() with { SchemaVersion = 99 });

        var ex = Assert.Throws<TrackingException>(() => RunJsonStore.Deserialize(json, "baseline.json"));

        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_reads_as_no_run()
    {
        using var dir = new TempDirectory();

        Assert.Null(RunJsonStore.ReadIfExists(dir.File("baseline.json")));
    }
}
