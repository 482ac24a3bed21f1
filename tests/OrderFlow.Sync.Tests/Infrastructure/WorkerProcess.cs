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
        await using var worker = Start(args);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, (await worker.StandardErrorAsync()).Trim(), await worker.StandardOutputAsync());
    }

    /// <summary>Starts the worker with <paramref name="args"/> and returns at once; its output is read as it comes.</summary>
    public static RunningWorker Start(params string[] args)
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

        return new RunningWorker(Process.Start(info)!);
    }
}
