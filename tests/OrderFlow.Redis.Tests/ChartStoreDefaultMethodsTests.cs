using System.Text;
using OrderFlow.Candles;

namespace OrderFlow.Redis.Tests;

/// <summary>
/// The default implementations of the unread methods, for stores written before them: they write what the typed
/// methods return, in the same vocabulary, so a relay gets the same bytes either way.
/// </summary>
public sealed class ChartStoreDefaultMethodsTests
{
    [Fact]
    public async Task LoadChartJson_Default_WritesTheLoadedCandles_AsTheStoreWouldHaveStoredThem()
    {
        using var inner = new InMemoryChartStore();
        IChartStore store = new TypedOnlyStore(inner);
        await inner.SaveChartAsync(Symbol.GC, Timeframe.OneHour, new[] { Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031, 15000, 9000, 6000) });

        var viaDefault = await store.LoadChartJsonAsync(Symbol.GC, Timeframe.OneHour);
        var native = await inner.LoadChartJsonAsync(Symbol.GC, Timeframe.OneHour);

        // The same JSON array; the native value also ends with the store's write stamp (JSON whitespace).
        Assert.Equal(native!.Json.Span.TrimEnd(" \t\r\n"u8).ToArray(), viaDefault!.Json.ToArray());
        Assert.Null(await store.LoadChartJsonAsync(Symbol.SI, Timeframe.OneHour));
    }

    [Fact]
    public async Task SubscribeJson_Default_WritesEachUpdatesCandle()
    {
        using var inner = new InMemoryChartStore();
        IChartStore store = new TypedOnlyStore(inner);
        string? received = null;
        await using var subscription = await store.SubscribeJsonAsync(Symbol.GC, Timeframe.OneMinute, json => received = Encoding.UTF8.GetString(json.Span));

        await inner.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031, 15000), ReadOnlyMemory<Candle>.Empty);

        Assert.Equal("""{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15000}""", received);
    }

    /// <summary>A store that implements only the typed members, as one written before the unread ones existed.</summary>
    private sealed class TypedOnlyStore(IChartStore inner) : IChartStore
    {
        public Task<bool> SaveChartAsync(Symbol symbol, Timeframe timeframe, ReadOnlyMemory<Candle> candles, CancellationToken cancellationToken = default) =>
            inner.SaveChartAsync(symbol, timeframe, candles, cancellationToken);

        public Task<Candle[]?> LoadChartAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) =>
            inner.LoadChartAsync(symbol, timeframe, cancellationToken);

        public Task SaveLiveAsync(Symbol symbol, Timeframe timeframe, Candle current, ReadOnlyMemory<Candle> buffer, CancellationToken cancellationToken = default) =>
            inner.SaveLiveAsync(symbol, timeframe, current, buffer, cancellationToken);

        public Task<Candle?> LoadCurrentAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) =>
            inner.LoadCurrentAsync(symbol, timeframe, cancellationToken);

        public Task<Candle[]?> LoadBufferAsync(Symbol symbol, Timeframe timeframe, CancellationToken cancellationToken = default) =>
            inner.LoadBufferAsync(symbol, timeframe, cancellationToken);

        public Task<IAsyncDisposable> SubscribeAsync(Symbol symbol, Timeframe timeframe, Action<LiveCandleUpdate> handler, CancellationToken cancellationToken = default) =>
            inner.SubscribeAsync(symbol, timeframe, handler, cancellationToken);
    }
}
