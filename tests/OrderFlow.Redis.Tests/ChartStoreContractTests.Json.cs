using System.Text;
using OrderFlow.Candles;

namespace OrderFlow.Redis.Tests;

/// <summary>The unread paths: <see cref="IChartStore.LoadChartJsonAsync"/> and <see cref="IChartStore.SubscribeJsonAsync"/>.</summary>
public abstract partial class ChartStoreContractTests
{
    [Fact]
    public async Task LoadChartJson_ReturnsTheStoredBytes_AndAVersionThatChangesExactlyWithThem()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var chart = Series(50);
        await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart);

        var first = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute);
        var again = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute);

        Assert.NotNull(first);
        Assert.Equal(await RawGetAsync(store, prefix + "chart:GC:1m:1year"), Encoding.UTF8.GetString(first.Json.Span));
        Assert.False(first.IsEmpty);
        Assert.Equal(first.Version, again!.Version);

        await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, Series(51));
        var changed = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute);
        Assert.NotEqual(first.Version, changed!.Version);

        // Saved again unchanged: not rewritten, so the same bytes and version (a rewrite carries a new write stamp).
        Assert.False(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, Series(51)));
        Assert.Equal(changed.Version, (await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneMinute))!.Version);
    }

    [Fact]
    public async Task LoadChartJson_AValueWrittenByAnotherWriter_IsPassedOnByteForByte()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        const string Python = """[{"time": 1704067200, "open": 2030.5, "high": 2031.2, "low": 2030.1, "close": 2031.0, "volume": 15000}]""";
        await RawSetAsync(store, prefix + "chart:GC:1h:1year", Python);
        await RawSetAsync(store, prefix + "chart:GC:4h:1year", "[]");

        var chart = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneHour);
        var empty = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.FourHours);

        Assert.Equal(Python, Encoding.UTF8.GetString(chart!.Json.Span));
        Assert.True(empty!.IsEmpty);
    }

    [Theory]
    [InlineData("""[{"time":1704067200,"open":2030.5,"high":2031.2""")]
    [InlineData("""{"not":"an array"}""")]
    [InlineData("not json [")]
    [InlineData("")]
    public async Task LoadChartJson_NotShapedLikeAnArray_ReturnsNull_NeverThrows(string value)
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        await RawSetAsync(store, prefix + "chart:SI:1d:1year", value);

        Assert.Null(await store.LoadChartJsonAsync(Symbol.SI, Timeframe.OneDay));
        Assert.Null(await store.LoadChartJsonAsync(Symbol.SI, Timeframe.OneHour)); // missing
    }

    [Theory]
    [InlineData("""[{"time":1704067200,"open":2030.5,"high":2031.2""")]
    [InlineData("not json [")]
    [InlineData("[]")]
    public async Task ChartExists_TellsAMalformedValueFromAMissingKey(string value)
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        await RawSetAsync(store, prefix + "chart:SI:1d:1year", value);

        Assert.True(await store.ChartExistsAsync(Symbol.SI, Timeframe.OneDay));
        Assert.False(await store.ChartExistsAsync(Symbol.SI, Timeframe.OneHour)); // missing
    }

    [Fact]
    public async Task SubscribeJson_DeliversThePublishedCandleBytes_AsStoredUnderCurrent()
    {
        var prefix = Me();
        var store = CreateStore(prefix);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeJsonAsync(Symbol.CL, Timeframe.OneMinute, json => received.TrySetResult(Encoding.UTF8.GetString(json.Span)));
        var flow = Series(2)[1].WithFlow(9000, 6000);

        await store.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, flow, new[] { flow });

        var published = await WithinAsync(received.Task);
        Assert.Equal(await RawGetAsync(store, prefix + "live:CL:1m:current"), published);
        Assert.Contains("\"buyVolume\":9000", published, StringComparison.Ordinal);
    }
}
