using StackExchange.Redis;

namespace OrderFlow.Redis.Tests.Infrastructure;

/// <summary>
/// One Redis server and one shared connection for a test class: a fresh <c>redis-server</c> started by the fixture,
/// or the existing server named by the <c>ORDERFLOW_REDIS</c> environment variable (a StackExchange.Redis
/// configuration string). Tests share it safely through per-test key prefixes.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "ORDERFLOW_REDIS";

    private RedisServer? _server;

    public string Configuration { get; private set; } = "";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            _server = await RedisServer.StartAsync();
            Configuration = _server.Configuration;
        }
        else
        {
            Configuration = external;
        }

        Connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
