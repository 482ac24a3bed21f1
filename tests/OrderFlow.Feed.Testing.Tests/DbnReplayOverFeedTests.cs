using OrderFlow.Candles;
using OrderFlow.Databento.Replay;
using OrderFlow.Feed.Client;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>
/// A DBN replay served over the wire: the feed server as the adapter from the replay source to the protocol, and the
/// feed client reading it back. The replay itself is tested in OrderFlow.Databento.Tests (DbnReplaySourceTests).
/// </summary>
public sealed class DbnReplayOverFeedTests : IDisposable
{
    private static readonly DateTimeOffset Day1Noon = DbnTestFiles.Day0.AddDays(1).AddHours(12);

    private readonly DbnTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task FeedServer_AndFeedClient_ServeHistoryAndLiveCandlesByRoot()
    {
        var clock = TestMarket.Clock(new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero));
        var source = DbnReplaySource.Load([_files.WriteGcRoll()], new DbnReplayOptions { StartTime = Day1Noon, Speed = 60 }, clock);
        await using var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source, TimeProvider = clock });
        await using var client = new FeedClient(new FeedClientOptions { Url = server.Uri });
        await client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 500);
        await client.StartAsync();

        using var timeout = new CancellationTokenSource(TestMarket.DefaultTimeout);
        var live = new List<Candle>();
        Candle[]? history = null;
        await foreach (var e in client.ReadEventsAsync(timeout.Token))
        {
            if (e.Kind == MarketDataEventKind.History && e.Symbol == Symbol.GC)
            {
                history = e.History;
                clock.Advance(TimeSpan.FromSeconds(3)); // three replayed minutes
            }
            else if (e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC && history is not null)
            {
                live.Add(e.Candle);
                if (live.Count == 3)
                {
                    break;
                }
            }
        }

        Assert.NotNull(history);
        Assert.Equal(500, history.Length);
        Assert.Equal(Day1Noon.AddMinutes(-1), history[^1].OpenTimeUtc);
        Assert.Equal([Day1Noon, Day1Noon.AddMinutes(1), Day1Noon.AddMinutes(2)], live.Select(c => c.OpenTimeUtc));
        Assert.All(live, c => Assert.InRange(c.Open, 2020, 2025));
    }
}
