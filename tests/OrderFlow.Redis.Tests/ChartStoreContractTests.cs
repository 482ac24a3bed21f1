using System.Runtime.CompilerServices;
using System.Text.Json;
using OrderFlow.Candles;

namespace OrderFlow.Redis.Tests;

/// <summary>The <see cref="IChartStore"/> contract, run against every implementation.</summary>
public abstract partial class ChartStoreContractTests
{
    protected const long T0 = 1704067200;

    /// <summary>Creates a store whose keys start with <paramref name="prefix"/>.</summary>
    protected abstract IChartStore CreateStore(string prefix);

    protected abstract Task<string?> RawGetAsync(IChartStore store, string key);

    protected abstract Task RawSetAsync(IChartStore store, string key, string value);

    protected abstract Task RawDeleteAsync(IChartStore store, string key);

    /// <summary>
    /// Asserts that each key lives for its TTL: read with the TTL command, or observed on a fake clock (where the keys
    /// have expired afterwards).
    /// </summary>
    protected abstract Task AssertTtlsAsync(IChartStore store, params (string Key, TimeSpan Ttl)[] keys);

    /// <summary>Waits until a published update has arrived (Redis pub/sub is asynchronous).</summary>
    protected static async Task<T> WithinAsync<T>(Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>A key prefix unique to the calling test, so tests can share one server (StackExchange.Redis' Me()).</summary>
    protected string Me([CallerMemberName] string test = "") => $"t:{GetType().Name}:{test}:";

    protected static Candle[] Series(int count, long start = T0, int step = 60) =>
        Enumerable.Range(0, count).Select(i => Candle.Create(start + (i * step), 2030.5 + (i % 7), 2031.2 + (i % 7), 2030.1 + (i % 7), 2031.0 + (i % 7), 15000 + i)).ToArray();

    [Fact]
    public async Task SaveChart_ThenLoad_RoundTripsUnderTheSeedKey()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var chart = Series(3);

        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart));

        Assert.Equal(chart, await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.NotNull(await RawGetAsync(store, prefix + "chart:GC:1m:1year"));
        Assert.Null(await store.LoadChartAsync(Symbol.GC, Timeframe.FiveMinutes));
        Assert.Null(await store.LoadChartAsync(Symbol.SI, Timeframe.OneMinute));
    }

    [Fact]
    public async Task SaveChart_StoresSeedJsonShape_TimeInSeconds()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        await store.SaveChartAsync(Symbol.GC, Timeframe.OneHour, new[] { Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000) });

        var raw = await RawGetAsync(store, prefix + "chart:GC:1h:1year");

        // The value ends with the store's write stamp: 32 bytes of JSON whitespace that every parser skips.
        Assert.Equal("""[{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15000}]""", raw!.TrimEnd());
        Assert.Equal(32, raw.Length - raw.TrimEnd().Length);
        using var doc = JsonDocument.Parse(raw!);
        var candle = Assert.Single(doc.RootElement.EnumerateArray().ToArray());
        Assert.Equal(["time", "open", "high", "low", "close", "volume"], candle.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1704067200, candle.GetProperty("time").GetInt64());
    }

    [Fact]
    public async Task OrderFlow_RoundTripsThroughChartLiveAndSubscriptions()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var flow = Series(4).Select((c, i) => c.WithFlow(i * 100, 14_000 - (i * 100))).ToArray();
        var received = new TaskCompletionSource<LiveCandleUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeAsync(Symbol.NQ, Timeframe.OneMinute, u => received.TrySetResult(u));

        await store.SaveChartAsync(Symbol.NQ, Timeframe.OneMinute, flow);
        await store.SaveLiveAsync(Symbol.NQ, Timeframe.OneMinute, flow[^1], flow);

        Assert.Equal(flow, await store.LoadChartAsync(Symbol.NQ, Timeframe.OneMinute));
        Assert.Equal(flow, await store.LoadBufferAsync(Symbol.NQ, Timeframe.OneMinute));
        var current = await store.LoadCurrentAsync(Symbol.NQ, Timeframe.OneMinute);
        Assert.Equal(flow[^1], current);
        Assert.Equal(-13_400, current!.Value.Delta);
        Assert.Equal(flow[^1], (await WithinAsync(received.Task)).Current);

        // Old readers see the seed's six fields first, then the flow.
        using var doc = JsonDocument.Parse((await RawGetAsync(store, prefix + "chart:NQ:1m:1year"))!);
        Assert.Equal(["time", "open", "high", "low", "close", "volume", "buyVolume", "sellVolume", "delta"], doc.RootElement[1].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task SaveChart_Ttl_Is24Hours()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        await store.SaveChartAsync(Symbol.ES, Timeframe.OneDay, Series(2, step: 86400));

        await AssertTtlsAsync(store, (prefix + "chart:ES:1d:1year", TimeSpan.FromHours(24)));
    }

    [Fact]
    public async Task SaveLive_WritesCurrentAndBufferUnderSeedKeysWithSeedTtls()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var buffer = Series(5);

        await store.SaveLiveAsync(Symbol.CL, Timeframe.FifteenMinutes, buffer[^1], buffer);

        Assert.Equal(buffer[^1], await store.LoadCurrentAsync(Symbol.CL, Timeframe.FifteenMinutes));
        Assert.Equal(buffer, await store.LoadBufferAsync(Symbol.CL, Timeframe.FifteenMinutes));
        var current = await RawGetAsync(store, prefix + "live:CL:15m:current");
        using (var doc = JsonDocument.Parse(current!))
        {
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.Equal(buffer[^1].OpenTime, doc.RootElement.GetProperty("time").GetInt64());
        }

        using (var doc = JsonDocument.Parse((await RawGetAsync(store, prefix + "live:CL:15m:buffer"))!))
        {
            Assert.Equal(5, doc.RootElement.GetArrayLength());
        }

        await AssertTtlsAsync(store, (prefix + "live:CL:15m:current", TimeSpan.FromMinutes(2)), (prefix + "live:CL:15m:buffer", TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task SaveLive_BufferOver500_KeepsNewest500()
    {
        var store = CreateStore(Me());
        var buffer = Series(650);

        await store.SaveLiveAsync(Symbol.NQ, Timeframe.OneMinute, buffer[^1], buffer);

        var stored = await store.LoadBufferAsync(Symbol.NQ, Timeframe.OneMinute);
        Assert.Equal(buffer[150..], stored);
    }

    [Fact]
    public async Task TouchChart_RefreshesTheTtlOfAStoredChart_AndSaysWhenItIsGone()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var key = prefix + "chart:CL:1h:1year";
        Assert.False(await store.TouchChartAsync(Symbol.CL, Timeframe.OneHour)); // never written

        await store.SaveChartAsync(Symbol.CL, Timeframe.OneHour, Series(3, step: 3600));
        Assert.True(await store.TouchChartAsync(Symbol.CL, Timeframe.OneHour));
        await AssertTtlsAsync(store, (key, TimeSpan.FromHours(24)));

        await RawDeleteAsync(store, key);
        Assert.False(await store.TouchChartAsync(Symbol.CL, Timeframe.OneHour));       // gone: the caller saves again
        Assert.True(await store.SaveChartAsync(Symbol.CL, Timeframe.OneHour, Series(3, step: 3600)));
        Assert.True(await store.TouchChartAsync(Symbol.CL, Timeframe.OneHour));
        Assert.Equal(Series(3, step: 3600), await store.LoadChartAsync(Symbol.CL, Timeframe.OneHour));
    }

    [Fact]
    public async Task Load_MissingKeys_ReturnNull()
    {
        var store = CreateStore(Me());
        Assert.Null(await store.LoadChartAsync(Symbol.GC, Timeframe.FourHours));
        Assert.Null(await store.LoadCurrentAsync(Symbol.GC, Timeframe.FourHours));
        Assert.Null(await store.LoadBufferAsync(Symbol.GC, Timeframe.FourHours));
    }

    [Fact]
    public async Task SaveChart_Unchanged_IsNotRewritten_ButRewrittenWhenChangedOrGone()
    {
        var prefix = Me();
        var key = prefix + "chart:GC:1m:1year";
        var store = CreateStore(prefix);
        var chart = Series(10);
        var nine = chart.AsMemory(0, 9);
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart));

        // An identical save is not sent again: the value keeps its bytes, write stamp included; only the TTL is refreshed.
        var stored = await RawGetAsync(store, key);
        Assert.False(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart.ToArray()));
        Assert.Equal(stored, await RawGetAsync(store, key));
        await AssertTtlsAsync(store, (key, TimeSpan.FromHours(24)));

        // A value written behind the store's back (another process, a restored snapshot) is replaced, not kept alive.
        await RawSetAsync(store, key, "[]");
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart.ToArray()));
        Assert.Equal(chart, await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));

        // A changed chart is written.
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, nine));
        Assert.Equal(chart[..9], await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));

        // An unchanged chart whose key vanished (expired, deleted, Redis restarted) is written again.
        await RawDeleteAsync(store, key);
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, nine));
        Assert.Equal(chart[..9], await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
    }

    [Fact]
    public async Task KeyPrefix_IsolatesDeployments()
    {
        var prefix = Me();
        var a = CreateStore(prefix + "a:");
        var b = CreateStore(prefix + "b:");
        await a.SaveChartAsync(Symbol.SI, Timeframe.OneMinute, Series(2));
        await a.SaveLiveAsync(Symbol.SI, Timeframe.OneMinute, Series(1)[0], Series(1));

        Assert.Null(await b.LoadChartAsync(Symbol.SI, Timeframe.OneMinute));
        Assert.Null(await b.LoadCurrentAsync(Symbol.SI, Timeframe.OneMinute));
        Assert.NotNull(await RawGetAsync(a, prefix + "a:chart:SI:1m:1year"));
        Assert.NotNull(await RawGetAsync(a, prefix + "a:live:SI:1m:current"));
        Assert.NotNull(await RawGetAsync(a, prefix + "a:live:SI:1m:buffer"));
    }

    [Fact]
    public async Task Subscribe_ReceivesLiveUpdates_UntilDisposed()
    {
        var store = CreateStore(Me());
        var received = new TaskCompletionSource<LiveCandleUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        var subscription = await store.SubscribeAsync(Symbol.GC, Timeframe.FiveMinutes, u =>
        {
            Interlocked.Increment(ref count);
            received.TrySetResult(u);
        });
        var other = Series(1, step: 300)[0];
        await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, Series(1)[0], Series(1)); // another channel
        var buffer = Series(3, step: 300);

        await store.SaveLiveAsync(Symbol.GC, Timeframe.FiveMinutes, buffer[^1], buffer);

        var update = await WithinAsync(received.Task);
        Assert.Equal(new LiveCandleUpdate(Symbol.GC, Timeframe.FiveMinutes, buffer[^1]), update);
        await subscription.DisposeAsync();
        await store.SaveLiveAsync(Symbol.GC, Timeframe.FiveMinutes, other, buffer);
        await Task.Delay(100);
        Assert.Equal(1, Volatile.Read(ref count));
    }

    [Fact]
    public async Task Subscribe_HandlerThrows_PublisherUnaffected()
    {
        var store = CreateStore(Me());
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bad = await store.SubscribeAsync(Symbol.ES, Timeframe.OneMinute, _ => throw new InvalidOperationException("handler bug"));
        await using var good = await store.SubscribeAsync(Symbol.ES, Timeframe.OneMinute, _ => second.TrySetResult());

        await store.SaveLiveAsync(Symbol.ES, Timeframe.OneMinute, Series(1)[0], Series(1));

        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(await store.LoadCurrentAsync(Symbol.ES, Timeframe.OneMinute));
    }

    [Fact]
    public async Task Load_BadStoredData_SkipsInvalidCandles_NeverThrows()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        await RawSetAsync(store, prefix + "chart:GC:1m:1year",
            """[{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031.0,"volume":15000},{"time":1704067260,"open":-1,"high":1,"low":1,"close":1,"volume":1},{"time":"x"},42,{"open":1}]""");
        await RawSetAsync(store, prefix + "live:GC:1m:current", "not json {");
        await RawSetAsync(store, prefix + "live:GC:1m:buffer", """{"not":"an array"}""");

        var chart = await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);

        Assert.NotNull(chart);
        Assert.Equal([Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000)], chart);
        Assert.Null(await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
        Assert.Null(await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute));
    }

    [Fact]
    public async Task Methods_EmptySymbol_Throw()
    {
        var store = CreateStore(Me());
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveChartAsync(default, Timeframe.OneMinute, Series(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.LoadChartAsync(default, Timeframe.OneMinute));
    }

    [Fact]
    public async Task Methods_CancelledToken_ThrowBeforeSending()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, Series(1), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, Series(1)[0], Series(1), cts.Token));
        Assert.Null(await RawGetAsync(store, prefix + "chart:GC:1m:1year"));
    }
}
