using Xunit.Abstractions;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using OrderFlow.Databento.Replay;
using ZstdSharp;

namespace OrderFlow.Databento.Tests.Hostile;

/// <summary>
/// Issue 15, DBN finding 1: a few kilobytes of zstd whose DBN header declares 256 MiB of metadata and which expand to
/// ~200 MB of zeros. The metadata cap (<see cref="DbnMetadataReader.MaxMetadataLength"/>) rejects it at the prefix.
/// </summary>
public sealed class DbnHeaderBombTests(ITestOutputHelper log) : IDisposable
{
    private const long ZeroBytes = 200L * 1000 * 1000;

    private readonly DbnTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>"DBN", version 3, metadata length 256 MiB, then <paramref name="zeros"/> zero bytes, zstd-compressed.</summary>
    internal static byte[] HeaderBomb(long zeros)
    {
        var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level: 3, leaveOpen: true))
        {
            Span<byte> prefix = stackalloc byte[8];
            "DBN"u8.CopyTo(prefix);
            prefix[3] = 3;
            BinaryPrimitives.WriteUInt32LittleEndian(prefix[4..], 256u * 1024 * 1024);
            zstd.Write(prefix);
            var chunk = new byte[1 << 20];
            for (var written = 0L; written < zeros; written += chunk.Length)
            {
                zstd.Write(chunk, 0, (int)Math.Min(chunk.Length, zeros - written));
            }
        }

        return output.ToArray();
    }

    [Fact]
    public void HeaderBomb_IsAFewKilobytes()
    {
        var bomb = HeaderBomb(ZeroBytes);
        Assert.InRange(bomb.Length, 1, 64 * 1024);
    }

    [Fact]
    public void DbnTool_HeaderBomb_ExitsOneWithOneLineAndLowPeakMemory()
    {
        var path = _files.Write("header-bomb.dbn.zst", HeaderBomb(ZeroBytes));

        var (code, stdout, stderr, peakKb) = RunTool(path, "--json");
        log.WriteLine($"bomb: {new FileInfo(path).Length} bytes");

        log.WriteLine($"exit {code}, peak resident {peakKb} kB: {stderr}");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Metadata length 268435456 is invalid", line, StringComparison.Ordinal);
        Assert.Contains("at byte offset 4", line, StringComparison.Ordinal);
        if (peakKb > 0)
        {
            // A valid fixture peaks at about 30 MB; the bomb used to take ~225 MiB.
            Assert.True(peakKb < 100 * 1024, $"peak resident memory {peakKb} kB");
        }
    }

    [Fact]
    public void Decoder_MetadataClaimingMoreThanArrives_BuffersOnlyWhatArrives()
    {
        // 15 MiB declared (under the cap) but only 1 KB of it sent: the error keeps the length's offset, and the
        // decoder does not allocate the declared 15 MiB up front.
        var bytes = new byte[8 + 1024];
        "DBN"u8.CopyTo(bytes);
        bytes[3] = 3;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 15u * 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DbnFormatException>(() => DbnDecoder.Open(new NonSeekable(bytes)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4, ex.Offset);
        Assert.True(allocated < 2 * 1024 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Replay_HeaderBomb_FailsWithinBoundedMemory()
    {
        var bomb = HeaderBomb(ZeroBytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DbnFormatException>(() => DbnReplaySource.Read(new MemoryStream(bomb), "bomb.dbn.zst"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("bomb.dbn.zst: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, ex.Offset);
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated} bytes allocated");
    }

    /// <summary>
    /// Runs the built <c>dbn</c> tool (<c>dotnet dbn.dll</c>, copied next to the tests) as a child process and polls
    /// its peak resident memory (VmHWM) while it runs; 0 when /proc is not available.
    /// </summary>
    internal static (int Code, string Stdout, string Stderr, long PeakKb) RunTool(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dbn.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var status = $"/proc/{process.Id}/status";
        long peak = 0;
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            peak = Math.Max(peak, ReadHwm(status));
            Thread.Sleep(1);
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the dbn tool did not exit");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), peak);
    }

    private static long ReadHwm(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
