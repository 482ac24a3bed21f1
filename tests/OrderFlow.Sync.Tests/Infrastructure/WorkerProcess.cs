using System.Diagnostics;
using OrderFlow.SyncWorker;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>The worker as operators run it: <c>dotnet OrderFlow.SyncWorker.dll</c> in its own process, its exit code and output.</summary>
internal static class WorkerProcess
{
    /// <summary>Settings the worker reads from the environment, removed so that the machine running the tests cannot change them.</summary>
    private static readonly string[] s_inherited = ["Source", "Feed__Url", "Redis__Configuration", "SyntheticFeed__Dbn", "DATABENTO_API_KEY"];

    /// <summary>Runs the worker with <paramref name="args"/> until it exits; fails if it is still running after a minute.</summary>
    public static async Task<(int ExitCode, string StandardError, string StandardOutput)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var name in s_inherited)
        {
            info.Environment.Remove(name);
        }

        info.ArgumentList.Add(typeof(SyncWorkerHost).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await stderr).Trim(), await stdout);
    }
}
