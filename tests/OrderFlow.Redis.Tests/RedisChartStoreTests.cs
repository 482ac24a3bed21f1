using OrderFlow.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderFlow.Redis.Tests;

/// <summary>The contract against <see cref="RedisChartStore"/> on a real redis-server; TTLs read with the TTL command.</summary>
public sealed class RedisChartStoreTests : ChartStoreContractTests, IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;

    public RedisChartStoreTests(RedisServerFixture redis) => _redis = redis;

    private IDatabase Db => _redis.Connection.GetDatabase();

    protected override IChartStore CreateStore(string prefix) =>
        new RedisChartStore(_redis.Connection, new ChartStoreOptions { KeyPrefix = prefix });

    protected override async Task<string?> RawGetAsync(IChartStore store, string key) => await Db.StringGetAsync(key);

    protected override Task RawSetAsync(IChartStore store, string key, string value) => Db.StringSetAsync(key, value, TimeSpan.FromHours(1));

    protected override Task RawDeleteAsync(IChartStore store, string key) => Db.KeyDeleteAsync(key);

    protected override async Task AssertTtlsAsync(IChartStore store, params (string Key, TimeSpan Ttl)[] keys)
    {
        foreach (var (key, ttl) in keys)
        {
            var actual = await Db.KeyTimeToLiveAsync(key);
            Assert.NotNull(actual);
            Assert.InRange(actual.Value, ttl - TimeSpan.FromSeconds(10), ttl);
        }
    }
}
