using OrderFlow.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderFlow.Redis.Tests;

/// <summary>
/// The whole contract against a three-master Redis Cluster: every command touches one key, so the keys of one symbol
/// and timeframe may live on different nodes; pub/sub crosses nodes.
/// </summary>
public sealed class RedisClusterChartStoreTests : ChartStoreContractTests, IClassFixture<RedisClusterFixture>
{
    private readonly RedisClusterFixture _cluster;

    public RedisClusterChartStoreTests(RedisClusterFixture cluster) => _cluster = cluster;

    private IDatabase Db => _cluster.Connection.GetDatabase();

    protected override IChartStore CreateStore(string prefix) =>
        new RedisChartStore(_cluster.Connection, new ChartStoreOptions { KeyPrefix = prefix });

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

    [Fact]
    public void Keys_OfOneSeries_SpreadOverSeveralSlots()
    {
        // Proves the store does not rely on same-slot keys (no MULTI, no multi-key commands).
        string[] keys = ["chart:GC:1m:1year", "live:GC:1m:current", "live:GC:1m:buffer"];
        var slots = keys
            .Select(k => _cluster.Connection.HashSlot(k)).Distinct().Count();
        Assert.True(slots > 1);
    }
}
