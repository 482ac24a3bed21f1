using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.MarketData;

namespace OrderFlow.Databento.Tests.Live;

public sealed class DatabentoMarketDataSourceTests
{
    private const ulong T0 = 1_700_000_040_000_000_000;
    private const ulong Minute = 60_000_000_000;

    private static DatabentoMarketDataSourceOptions Options(int port)
    {
        var live = DatabentoLiveClientTests.Options(port);
        live.Subscriptions.Clear();
        var options = new DatabentoMarketDataSourceOptions { Live = live };
        options.Roots.Add("GC");
        options.Roots.Add("SI");
        return options;
    }

    [Fact]
    public async Task ReadEventsAsync_LiveBarsAndTrades_AreCandlesAndTicksKeyedByRoot_AndAResumeIsBackfilled()
    {
        await using var gateway = new FakeLiveGateway(DatabentoLiveClientTests.Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Mapping(2, "SI.c.0", "SIH6");
            if (s.Index == 0)
            {
                s.Bar(1, T0, 2_000_250_000_000);
                s.Bar(2, T0, 25_500_000_000);
                s.Trade(1, T0 + Minute + 1_000_000, 2_000_500_000_000, 3, 1);
                await s.FlushAsync();
                s.Close();
                return;
            }

            s.Bar(1, T0, 2_000_250_000_000);                    // replayed duplicate: dropped
            s.Bar(1, T0 + Minute, 2_001_000_000_000);
            s.ReplayCompleted("ohlcv-1m");
            s.ReplayCompleted("trades");
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        await using var source = new DatabentoMarketDataSource(Options(gateway.Port));
        await source.StartAsync();
        await source.SubscribeAsync(Symbol.Parse("GC"), Timeframe.OneMinute, 100);
        await source.SubscribeAsync(Symbol.Parse("GC"), Timeframe.FiveMinutes, 100);

        var events = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            events.Add(e);
            if (e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Backfilled)
            {
                break;
            }
        }

        var first = gateway.Connections.First();
        var lines = first.SubscriptionLines;
        var replayFrom = first.StartOf("ohlcv-1m");   // BarReplay: the last hour of bars, to meet the end of historical data
        Assert.Equal(
            [$"schema=ohlcv-1m|stype_in=continuous|symbols=GC.c.0,SI.c.0|start={replayFrom}|snapshot=0|id=1|is_last=1", "schema=trades|stype_in=continuous|symbols=GC.c.0,SI.c.0|snapshot=0|id=2|is_last=1"],
            lines);
        var replayStart = DateTimeOffset.FromUnixTimeMilliseconds((long)(replayFrom!.Value / 1_000_000));
        Assert.InRange(DateTimeOffset.UtcNow - replayStart, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var candles = events.Where(e => e.Kind == MarketDataEventKind.Candle).Select(e => $"{e.Symbol} {e.Timeframe} {e.Candle.OpenTime} {e.Candle.Close}").ToList();
        Assert.Equal(["GC 1m 1700000040 2000.25", "SI 1m 1700000040 25.5", "GC 1m 1700000100 2001"], candles);
        var tick = Assert.Single(events, e => e.Kind == MarketDataEventKind.Tick);
        Assert.Equal(Symbol.Parse("GC"), tick.Symbol);
        Assert.Equal(2000.5, tick.Tick.Price);
        Assert.Equal(3, tick.Tick.Size);
        Assert.Equal((long)((T0 + Minute) / 1_000_000UL) + 1, tick.Tick.EventTimeMs);
        var histories = events.Where(e => e.Kind == MarketDataEventKind.History).ToList();
        Assert.Equal(2, histories.Count);
        Assert.All(histories, h => Assert.Empty(h.History!));   // no Historical client: the engine aggregates / waits for live
        var states = events.Where(e => e.Kind == MarketDataEventKind.Connection).Select(e => e.State).ToList();
        Assert.Equal([SourceConnectionState.Connected, SourceConnectionState.Disconnected, SourceConnectionState.Reconnecting, SourceConnectionState.Connected, SourceConnectionState.Backfilled], states);
        Assert.Equal(1, source.LiveClient.DuplicatesDropped);
    }

    [Fact]
    public async Task ReadEventsAsync_SidedTrades_AreSidedTicks_AndTheMinutesBarCarriesTheirFlow()
    {
        await using var gateway = new FakeLiveGateway(DatabentoLiveClientTests.Key, async s =>
        {
            s.Mapping(1, "GC.c.0", "GCZ5");
            s.Mapping(2, "SI.c.0", "SIH6");
            s.Trade(1, T0 + 1_000_000, 2_000_250_000_000, 3, 1, 'B');                        // buy 3
            s.Trade(1, T0 + 2_000_000, 2_000_000_000_000, 2, 2, 'A');                        // sell 2
            s.Trade(1, T0 + 3_000_000, 2_000_000_000_000, 1, 3, 'N');                        // unknown 1
            s.TopOfBook(1, T0 + 4_000_000, 2_000_250_000_000, 1, 'T', 'B');                  // a tbbo trade: buy 1
            s.TopOfBook(1, T0 + 5_000_000, 2_000_250_000_000, 7, 'A', 'B');                  // a book update: no tick
            s.Trade(2, T0 + 6_000_000, 25_500_000_000, 4, 4, 'A');                           // SI: sell 4
            s.Trade(1, T0 + Minute + 1_000_000, 2_000_500_000_000, 5, 5, 'A');               // the next minute
            s.Bar(1, T0, 2_000_250_000_000);                                                 // GC's minute: volume 10
            s.Bar(2, T0, 25_500_000_000);                                                    // SI's minute: volume 10
            s.Bar(1, T0 + Minute + Minute, 2_000_250_000_000);                               // a minute without trades
            await s.FlushAsync();
            await s.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        });
        await using var source = new DatabentoMarketDataSource(Options(gateway.Port));
        await source.StartAsync();

        var events = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            events.Add(e);
            if (events.Count(x => x.Kind == MarketDataEventKind.Candle) == 3)
            {
                break;
            }
        }

        var ticks = events.Where(e => e.Kind == MarketDataEventKind.Tick).Select(e => (e.Symbol.Value, e.Tick.Size, e.Tick.Side)).ToList();
        Assert.Equal(
            [("GC", 3d, AggressorSide.Buy), ("GC", 2d, AggressorSide.Sell), ("GC", 1d, AggressorSide.Unknown), ("GC", 1d, AggressorSide.Buy), ("SI", 4d, AggressorSide.Sell), ("GC", 5d, AggressorSide.Sell)],
            ticks);
        var candles = events.Where(e => e.Kind == MarketDataEventKind.Candle).Select(e => e.Candle).ToList();
        var gc = candles[0];
        Assert.Equal((T0 / 1_000_000_000UL, 10d, 4d, 2d), ((ulong)gc.OpenTime, gc.Volume, gc.BuyVolume, gc.SellVolume));
        Assert.Equal(2, gc.Delta);
        Assert.Equal(4, gc.UnknownVolume);
        Assert.Equal((0d, 4d, -4d), (candles[1].BuyVolume, candles[1].SellVolume, candles[1].Delta));   // SI's own flow
        Assert.False(candles[2].HasFlow);                                                             // no trades in that minute
        Assert.All(candles, c => Assert.Equal(c.Volume, c.BuyVolume + c.SellVolume + c.UnknownVolume));
    }

    [Fact]
    public async Task ReadEventsAsync_WrongKey_ReportsDisconnectedWithoutTheKey_InOneLogLine()
    {
        await using var gateway = new FakeLiveGateway("db-someOTHERkeyabcdefghijklmnoZZZZZ", _ => Task.CompletedTask);
        var sink = new CountingLoggerFactory();
        await using var source = new DatabentoMarketDataSource(Options(gateway.Port), loggerFactory: sink);
        await source.StartAsync();
        var events = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            events.Add(e);
            if (e.Kind == MarketDataEventKind.Connection && e.State == SourceConnectionState.Disconnected)
            {
                break;
            }
        }

        Assert.DoesNotContain(DatabentoLiveClientTests.Key, events.Last().Message, StringComparison.Ordinal);
        Assert.Contains("db-…XYZ12", events.Last().Message, StringComparison.Ordinal);

        // The client has stopped (no retry); one rejected key is one event and one line.
        for (var i = 0; i < 200 && !sink.Lines.Any(l => l.EventId == 5005); i++)
        {
            await Task.Delay(50);
        }

        await source.DisposeAsync();
        Assert.DoesNotContain(events, e => e.Kind == MarketDataEventKind.ServerError);
        var line = Assert.Single(sink.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal((5005, LogLevel.Error), (line.EventId, line.Level));
        Assert.Contains("db-…XYZ12", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(DatabentoLiveClientTests.Key, string.Join("\n", sink.Lines.Select(l => l.Text)), StringComparison.Ordinal);
    }
}
