using OrderFlow.Redis.Tests.Infrastructure;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>One real redis-server shared by the end-to-end tests (each test uses its own key prefix).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public string Configuration => _server!.Configuration;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The end-to-end tests run one at a time: each runs a whole worker (30 series) on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerTests : ICollectionFixture<RedisFixture>
{
    public const string Name = "worker";
}
