using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderFlow.Redis.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> process on a free loopback port, in a temporary directory, without persistence.
/// Fails (never skips) when redis-server is not installed.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private readonly IReadOnlyList<string> _extraArgs;

    private RedisServer(int port, string? password, IReadOnlyList<string>? extraArgs)
    {
        Port = port;
        Password = password;
        _extraArgs = extraArgs ?? [];
        _directory = System.IO.Directory.CreateTempSubdirectory("orderflow-redis-").FullName;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>A StackExchange.Redis configuration string for this server, with short timeouts for tests.</summary>
    public string Configuration =>
        $"127.0.0.1:{Port},connectTimeout=2000,asyncTimeout=2000,syncTimeout=2000" + (Password is null ? "" : $",password={Password}");

    public static async Task<RedisServer> StartAsync(string? password = null, IReadOnlyList<string>? extraArgs = null, int? port = null)
    {
        var server = new RedisServer(port ?? OrderFlow.Tests.Shared.LoopbackPort.Next(), password, extraArgs);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts the process (again) on the same port and waits until it answers PING.</summary>
    public async Task StartProcessAsync()
    {
        var path = FindRedisServer();
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no"])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in _extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        if (Password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(Password);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}:\n{output}");
            }

            if (await AnswersPingAsync(Port))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException($"redis-server did not answer PING on port {Port} within 15 s:\n{output}");
    }

    /// <summary>Kills the process (a crash, as far as clients can tell) and waits for it to exit.</summary>
    public async Task StopProcessAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public string Directory => _directory;

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    public static int FreeClusterPort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20000, 30000);
            if (IsFree(port) && IsFree(port + 10000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free port pair for a cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static string FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} is not installed, and the Redis tests need a real server: install it (`apt-get install -y redis-server`, " +
            "or run `./build.sh test`, which installs it), or set ORDERFLOW_REDIS=host:port to use an existing server " +
            "(the password, restart and cluster tests always start their own redis-server).");
    }

    private static string FindRedisServer() => FindExecutable("redis-server");

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var read = await stream.ReadAsync(buffer, cts.Token);

            // +PONG, or -NOAUTH when a password is required: either way the server is up.
            return read > 0 && (buffer[0] == (byte)'+' || buffer[0] == (byte)'-');
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
