using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Redis.Tests.Infrastructure;

namespace OrderFlow.Redis.Tests;

/// <summary>
/// While only the newest candle of a live buffer changes, the buffer key is rewritten at most every
/// <see cref="ChartStoreOptions.BufferRefreshInterval"/>; the current key and the publish follow every write; a new
/// candle is written at once. On the fake clock, for both stores.
/// </summary>
public sealed class BufferRefreshTests : IClassFixture<RedisServerFixture>
{
    private const long T0 = 1_704_067_200;
    private readonly RedisServerFixture _redis;

    public BufferRefreshTests(RedisServerFixture redis) => _redis = redis;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnlyTheNewestCandleChanging_RewritesTheBuffer_AtMostOncePerInterval(bool redis)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(T0));
        var options = new ChartStoreOptions { KeyPrefix = $"t:refresh:{Guid.NewGuid():N}:", BufferRefreshInterval = TimeSpan.FromSeconds(5) };
        IChartStore store = redis ? new RedisChartStore(_redis.Connection, options, timeProvider: time) : new InMemoryChartStore(options, time);
        var published = new List<Candle>();
        await using var subscription = await store.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, u => { lock (published) { published.Add(u.Current); } });
        Candle[] buffer = [Bar(0, 2000), Bar(1, 2001)];

        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, buffer[^1], buffer);
        buffer[^1] = Bar(1, 2002);
        time.Advance(TimeSpan.FromSeconds(4));
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, buffer[^1], buffer);

        // Within the interval: the current key has the newest state, the buffer the one written first.
        Assert.Equal(buffer[^1], await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.Equal(2001, (await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute))![^1].Close);

        // The interval passed: the next write rewrites the buffer.
        buffer[^1] = Bar(1, 2003);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, buffer[^1], buffer);
        Assert.Equal(buffer, await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute));

        // A new candle is written at once, the closed one in its final state.
        buffer = [.. buffer[1..], Bar(2, 2004)];
        buffer[0] = Bar(1, 2005);
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, buffer[^1], buffer);
        Assert.Equal(buffer, await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute));
        await WaitForAsync(() => { lock (published) { return published.Count == 4; } });
    }

    [Fact]
    public void TheInterval_IsAtMostHalfTheBufferTtl()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new InMemoryChartStore(new ChartStoreOptions { BufferRefreshInterval = TimeSpan.FromMinutes(6) }));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new InMemoryChartStore(new ChartStoreOptions { BufferRefreshInterval = TimeSpan.FromSeconds(-1) }));
        using var zero = new InMemoryChartStore(new ChartStoreOptions { BufferRefreshInterval = TimeSpan.Zero });
    }

    private static Candle Bar(int minute, double close) => Candle.Create(T0 + (minute * 60L), close - 1, close + 1, close - 2, close, 10);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "every live write is published");
    }
}
