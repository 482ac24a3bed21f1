using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace OrderFlow.Redis.Tests;

/// <summary>The contract against <see cref="InMemoryChartStore"/>; expiry is observed on a fake clock.</summary>
public sealed class InMemoryChartStoreTests : ChartStoreContractTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(T0));

    protected override IChartStore CreateStore(string prefix) =>
        new InMemoryChartStore(new ChartStoreOptions { KeyPrefix = prefix }, _time);

    protected override Task<string?> RawGetAsync(IChartStore store, string key) =>
        Task.FromResult(((InMemoryChartStore)store).TryGetRaw(key, out var value, out _) ? Encoding.UTF8.GetString(value) : null);

    protected override Task RawSetAsync(IChartStore store, string key, string value)
    {
        ((InMemoryChartStore)store).SetRaw(key, Encoding.UTF8.GetBytes(value), TimeSpan.FromHours(1));
        return Task.CompletedTask;
    }

    protected override Task RawDeleteAsync(IChartStore store, string key)
    {
        ((InMemoryChartStore)store).RemoveRaw(key);
        return Task.CompletedTask;
    }

    protected override async Task AssertTtlsAsync(IChartStore store, params (string Key, TimeSpan Ttl)[] keys)
    {
        var start = _time.GetUtcNow();
        foreach (var (key, ttl) in keys)
        {
            Assert.True(((InMemoryChartStore)store).TryGetRaw(key, out _, out var expiresAt));
            Assert.Equal(start + ttl, expiresAt);
        }

        foreach (var (key, ttl) in keys.OrderBy(k => k.Ttl))
        {
            _time.SetUtcNow(start + ttl - TimeSpan.FromSeconds(1));
            Assert.NotNull(await RawGetAsync(store, key));
            _time.SetUtcNow(start + ttl + TimeSpan.FromSeconds(1));
            Assert.Null(await RawGetAsync(store, key));
        }
    }
}
