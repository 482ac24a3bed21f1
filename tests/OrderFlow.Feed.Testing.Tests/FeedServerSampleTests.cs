using OrderFlow.Candles;
using OrderFlow.FeedServer;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>The <c>samples/OrderFlow.FeedServer</c> command line for DBN replays (<c>--dbn</c>).</summary>
public sealed class FeedServerSampleTests : IDisposable
{
    private readonly DbnTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Parse_Dbn_IsRepeatable_WithStartLoopAndSymbols()
    {
        var options = CommandLine.Parse(["--dbn", "a.dbn", "--dbn", "b.dbn.zst", "--speed", "60", "--start", "2026-10-15T13:30:00Z", "--loop", "--symbols", "GC"]);
        Assert.Equal(["a.dbn", "b.dbn.zst"], options.DbnFiles);
        Assert.Equal(60, options.Speed);
        Assert.Equal(new DateTimeOffset(2026, 10, 15, 13, 30, 0, TimeSpan.Zero), options.Start);
        Assert.True(options.Loop);
        Assert.True(options.SymbolsGiven);
        Assert.Equal([Symbol.GC], options.Symbols);
    }

    [Theory]
    [InlineData(new[] { "--dbn" }, "--dbn needs a value")]
    [InlineData(new[] { "--dbn", "a.dbn", "--csv", "b.csv" }, "--csv and --dbn cannot be mixed")]
    [InlineData(new[] { "--dbn", "a.dbn", "--start", "yesterday" }, "--start: expected an ISO 8601 time")]
    public void Parse_BadDbnArguments_NameTheProblem(string[] args, string message)
    {
        var ex = Assert.Throws<FormatException>(() => CommandLine.Parse(args));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingDbnFile_PrintsOneErrorAndExits2()
    {
        var path = Path.Combine(_files.Dir, "GC-trades-2026-10.dbn.zst");
        var (code, error) = await RunAsync(["--dbn", path]);
        Assert.Equal(FeedServerProgram.UsageExitCode, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CorruptDbnFile_PrintsTheFileAndOffsetAndExits2()
    {
        var whole = File.ReadAllBytes(_files.WriteGcBars(3));
        var path = _files.Write("cut.dbn", whole[..^7]);
        var (code, error) = await RunAsync(["--dbn", path, "--port", "0"]);
        Assert.Equal(FeedServerProgram.UsageExitCode, code);
        Assert.StartsWith($"error: {path}: ", error, StringComparison.Ordinal);
        Assert.Contains("byte offset", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Dbn_ServesTheReplayUntilStopped()
    {
        var path = _files.WriteGcRoll();
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var run = FeedServerProgram.RunAsync(["--dbn", path, "--port", "0", "--speed", "60", "--start", "2026-11-25T12:00:00Z"], TextWriter.Synchronized(output), TextWriter.Null, stop.Token);
        var deadline = DateTime.UtcNow + TestClient.DefaultTimeout;
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TestClient.DefaultTimeout));
        var text = output.ToString();
        Assert.Contains("DBN replay of 1 file(s)", text, StringComparison.Ordinal);
        // CME trading dates: the last evening's bars (from 17:00 Chicago) belong to the date after the last UTC day.
        Assert.Contains("GC: GCG7 (id 102) 2026-11-25..2026-11-27", text, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        var error = new StringWriter();
        var code = await FeedServerProgram.RunAsync(args, TextWriter.Null, error, CancellationToken.None).WaitAsync(TestClient.DefaultTimeout);
        return (code, error.ToString());
    }
}
