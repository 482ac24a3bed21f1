using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Tests;

/// <summary>
/// An in-process source through the contract: connected at once, every subscription answered with its history, live
/// events after, and disposal ends the enumeration. No socket anywhere.
/// </summary>
public sealed class InProcessMarketDataSourceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static SyntheticMarket Market(FakeTimeProvider clock) =>
        new(new SyntheticMarketOptions { Seed = 7, AlwaysOpen = true, Symbols = [Symbol.GC] }, clock);

    [Fact]
    public async Task SubscribeBeforeStart_IsAnsweredAfterTheConnectedEvent_WithTheMarketsHistory()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 14, 0, 0, TimeSpan.Zero));
        await using var market = Market(clock);
        await market.SubscribeAsync(Symbol.GC, Timeframe.OneHour, 24);
        await market.StartAsync();

        using var cts = new CancellationTokenSource(Timeout);
        await using var events = market.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((MarketDataEventKind.Connection, SourceConnectionState.Connected), (events.Current.Kind, events.Current.State));
        Assert.True(await events.MoveNextAsync());
        var history = events.Current;
        Assert.Equal(MarketDataEventKind.History, history.Kind);
        Assert.Equal(new SeriesKey(Symbol.GC, Timeframe.OneHour), history.Series);
        Assert.False(history.IsBackfill);
        Assert.Equal(market.GetHistory(Symbol.GC, Timeframe.OneHour, 24), history.History);
    }

    [Fact]
    public async Task Started_StreamsLiveTicksAndCandles_AsTheClockAdvances()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 14, 0, 0, TimeSpan.Zero));
        await using var market = Market(clock);
        await market.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var events = market.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());   // connected

        var next = events.MoveNextAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await next);
        Assert.Contains(events.Current.Kind, new[] { MarketDataEventKind.Tick, MarketDataEventKind.Candle });
        Assert.Equal(Symbol.GC, events.Current.Symbol);
    }

    [Fact]
    public async Task Dispose_EndsTheEnumeration_AndHistoryStillWorks()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 14, 0, 0, TimeSpan.Zero));
        var market = Market(clock);
        await market.StartAsync();
        Assert.True(market.IsRunning);
        var read = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var e in market.ReadEventsAsync())
            {
                count++;
            }

            return count;
        });

        await market.DisposeAsync();
        Assert.True(await read.WaitAsync(Timeout) >= 0);
        Assert.False(market.IsRunning);
        Assert.NotEmpty(market.GetHistory(Symbol.GC, Timeframe.OneMinute, 10));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await market.StartAsync());
    }

    [Fact]
    public void SeriesKey_NamesTheSeries()
    {
        Assert.Equal(new SeriesKey(Symbol.GC, Timeframe.OneMinute), new SeriesKey(Symbol.GC, Timeframe.OneMinute));
        Assert.NotEqual(new SeriesKey(Symbol.GC, Timeframe.OneMinute), new SeriesKey(Symbol.GC, Timeframe.FiveMinutes));
        Assert.Equal("GC 1m", new SeriesKey(Symbol.GC, Timeframe.OneMinute).ToString());
    }
}
