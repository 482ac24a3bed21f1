using System.Diagnostics;
using StackExchange.Redis;

namespace OrderFlow.Redis.Tests.Infrastructure;

/// <summary>
/// A Redis Cluster of three masters (no replicas) on loopback, created with <c>redis-cli --cluster create</c>, and one
/// connection to it.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private readonly List<RedisServer> _nodes = [];

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            var port = RedisServer.FreeClusterPort();
            _nodes.Add(await RedisServer.StartAsync(extraArgs: ["--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-node-timeout", "5000"], port: port));
        }

        var info = new ProcessStartInfo(RedisServer.FindExecutable("redis-cli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--cluster");
        info.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            info.ArgumentList.Add($"127.0.0.1:{node.Port}");
        }

        info.ArgumentList.Add("--cluster-replicas");
        info.ArgumentList.Add("0");
        info.ArgumentList.Add("--cluster-yes");
        using (var process = Process.Start(info)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }
        }

        Connection = await ConnectionMultiplexer.ConnectAsync(string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}")) + ",connectTimeout=5000,asyncTimeout=5000");

        // Wait until every node reports the cluster up and the client sees all slots.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var ok = true;
            foreach (var node in _nodes)
            {
                var server = Connection.GetServer("127.0.0.1", node.Port);
                var text = (string?)await server.ExecuteAsync("CLUSTER", "INFO");
                ok &= text?.Contains("cluster_state:ok", StringComparison.Ordinal) == true;
            }

            if (ok)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The Redis cluster did not reach cluster_state:ok within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
