using System.Diagnostics;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>A worker process started by <see cref="WorkerProcess.Start"/>: its output, signals, and its exit.</summary>
internal sealed class RunningWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public RunningWorker(Process process)
    {
        _process = process;

        // Read from the start: a worker whose pipes fill up blocks on its next log line.
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGTERM, as systemd's stop does (<see cref="Process.Kill()"/> would be SIGKILL).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {Id} exited with {kill.ExitCode}");
    }

    /// <summary>Waits for the process to exit and returns its exit code; kills it and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The worker (pid {Id}) was still running after {timeout.TotalSeconds:0} s.\n{await StandardErrorAsync()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Everything it wrote to standard output; completes once it has exited.</summary>
    public Task<string> StandardOutputAsync() => _stdout;

    /// <summary>Everything it wrote to standard error; completes once it has exited.</summary>
    public Task<string> StandardErrorAsync() => _stderr;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
