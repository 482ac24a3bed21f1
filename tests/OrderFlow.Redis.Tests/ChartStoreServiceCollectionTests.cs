using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Redis.DependencyInjection;
using OrderFlow.Redis.Tests.Infrastructure;

namespace OrderFlow.Redis.Tests;

public sealed class ChartStoreServiceCollectionTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;

    public ChartStoreServiceCollectionTests(RedisServerFixture redis) => _redis = redis;

    private static ServiceProvider Build(params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChartStore();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddChartStore_WithoutConfiguration_RegistersTheInMemoryStore()
    {
        await using var provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var store = provider.GetRequiredService<IChartStore>();
        Assert.IsType<InMemoryChartStore>(store);
        Assert.Same(store, provider.GetRequiredService<IChartStore>());
    }

    [Fact]
    public async Task AddChartStore_WithConfiguration_RegistersARedisStoreThatRoundTrips()
    {
        var prefix = $"di{Guid.NewGuid():N}:";
        await using var provider = Build(new("Redis:Configuration", _redis.Configuration), new("Redis:KeyPrefix", prefix));
        provider.GetRequiredService<IStartupValidator>().Validate();
        var store = Assert.IsType<RedisChartStore>(provider.GetRequiredService<IChartStore>());
        Assert.Equal(prefix, provider.GetRequiredService<IOptions<ChartStoreOptions>>().Value.KeyPrefix);

        Candle[] chart = [Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000), Candle.Create(1704067260, 2031.0, 2031.9, 2030.8, 2031.5, 900)];
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart));
        Assert.Equal(chart, await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.True(await _redis.Connection.GetDatabase().KeyExistsAsync($"{prefix}chart:GC:1m:1year"));
    }

    [Fact]
    public async Task AddChartStore_InvalidOptions_FailValidationNamingTheKey()
    {
        await using var provider = Build(new KeyValuePair<string, string?>("Redis:KeyPrefix", "bad prefix!"));
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Redis:KeyPrefix", ex.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChartStore>());
    }
}
