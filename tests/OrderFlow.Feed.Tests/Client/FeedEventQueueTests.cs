using OrderFlow.Candles;
using OrderFlow.Feed.Client;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>The backpressure policy: candles coalesce, ticks are bounded, control events are never dropped.</summary>
public class FeedEventQueueTests
{
    private const long T0 = 1_704_067_200;

    private static MarketDataEvent CandleAt(long time, double close, Symbol? symbol = null, Timeframe? tf = null) =>
        MarketDataEvent.ForCandle(symbol ?? Symbol.GC, tf ?? Timeframe.OneMinute, Candle.Create(time, close, close, close, close, 1));

    private static List<MarketDataEvent> Drain(FeedEventQueue queue)
    {
        var list = new List<MarketDataEvent>();
        while (queue.TryDequeue(out var e))
        {
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public void QueuedCandleOfSameSeriesAndTime_IsSuperseded_AndTheNewerTakesItsTurnWhereItArrived()
    {
        var q = new FeedEventQueue(10);
        q.EnqueueCandle(CandleAt(T0, 1));
        q.EnqueueCandle(CandleAt(T0, 2, Symbol.SI));
        q.EnqueueCandle(CandleAt(T0, 3));
        var events = Drain(q);
        Assert.Equal(2, events.Count);
        Assert.Equal(Symbol.SI, events[0].Symbol);
        Assert.Equal(3, events[1].Candle.Close);
        Assert.Equal(2, q.Count + events.Count);
    }

    [Fact]
    public void ACandleUpdate_IsNeverMovedAheadOfTheTicksItCounts()
    {
        // The server's update at 2 s counts the tick at 1 s. Moved ahead of that tick, the consumer would count it twice.
        var q = new FeedEventQueue(10);
        q.EnqueueCandle(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(T0, 2000, 2000, 2000, 2000, 1)));
        q.EnqueueTick(MarketDataEvent.ForTick(Symbol.GC, new Tick((T0 * 1000) + 1000, 2001, 2)));
        q.EnqueueCandle(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(T0, 2000, 2001, 2000, 2001, 3)));
        Assert.Equal(2, q.Count);
        var events = Drain(q);
        Assert.Equal([MarketDataEventKind.Tick, MarketDataEventKind.Candle], events.Select(e => e.Kind));
        Assert.Equal(3, events[1].Candle.Volume);
    }

    [Fact]
    public void OneSeriesUpdatingWhileTheConsumerStalls_HoldsTheQueueAtItsBounds()
    {
        var q = new FeedEventQueue(tickCapacity: 100);
        for (var i = 0; i < 100_000; i++)
        {
            q.EnqueueCandle(CandleAt(T0, i + 1));
            q.EnqueueCandle(CandleAt(T0, i + 1, Symbol.SI));
        }

        Assert.Equal(2, q.Count);
        Assert.Equal(2, q.CoalescingSeries);
        Assert.True(q.RingLength <= 1024, $"ring of {q.RingLength}");
        Assert.Equal([100_000.0, 100_000.0], Drain(q).Select(e => e.Candle.Close));
    }

    [Fact]
    public void CandleOfANewMinute_IsNotCoalescedWithThePreviousMinute()
    {
        var q = new FeedEventQueue(10);
        q.EnqueueCandle(CandleAt(T0, 1));
        q.EnqueueCandle(CandleAt(T0 + 60, 2));
        q.EnqueueCandle(CandleAt(T0 + 60, 3));
        Assert.Equal([1.0, 3.0], Drain(q).Select(e => e.Candle.Close));
    }

    [Fact]
    public void CandleAlreadyDequeued_IsNotReplaced()
    {
        var q = new FeedEventQueue(10);
        q.EnqueueCandle(CandleAt(T0, 1));
        Assert.True(q.TryDequeue(out _));
        q.EnqueueCandle(CandleAt(T0, 2));
        Assert.Equal(2, Assert.Single(Drain(q)).Candle.Close);
    }

    [Fact]
    public void TicksBeyondCapacity_AreDropped_AndReportedAsOneGap()
    {
        var q = new FeedEventQueue(3);
        for (var i = 0; i < 10; i++)
        {
            var queued = q.EnqueueTick(MarketDataEvent.ForTick(Symbol.GC, new Tick((T0 * 1000) + i, 2000, 1)));
            Assert.Equal(i < 3, queued);
        }

        q.EnqueueControl(MarketDataEvent.ForServerError("x"));
        var events = Drain(q);
        Assert.Equal([MarketDataEventKind.Tick, MarketDataEventKind.Tick, MarketDataEventKind.Tick, MarketDataEventKind.LiveGap, MarketDataEventKind.ServerError], events.Select(e => e.Kind));
        Assert.Contains("dropped 7 live tick(s)", events[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_IsReportedWhenTheConsumerCatchesUp_EvenWithoutNewEvents()
    {
        var q = new FeedEventQueue(1);
        q.EnqueueTick(MarketDataEvent.ForTick(Symbol.GC, new Tick(1, 2000, 1)));
        q.EnqueueTick(MarketDataEvent.ForTick(Symbol.GC, new Tick(2, 2000, 1)));
        Assert.Equal([MarketDataEventKind.Tick, MarketDataEventKind.LiveGap], Drain(q).Select(e => e.Kind));
    }

    [Fact]
    public void ControlEvents_AreNeverDropped()
    {
        var q = new FeedEventQueue(1);
        for (var i = 0; i < 5000; i++)
        {
            q.EnqueueControl(MarketDataEvent.ForHistory(Symbol.Parse($"S{i}"), Timeframe.OneMinute, [], 0, false));
        }

        Assert.Equal(5000, Drain(q).Count);
    }

    [Fact]
    public async Task WaitAsync_CompletesWhenAnEventArrives_AndReturnsFalseOnceCompleted()
    {
        var q = new FeedEventQueue(10);
        var wait = q.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        q.EnqueueControl(MarketDataEvent.ForServerError("x"));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Drain(q);
        q.Complete();
        Assert.False(await q.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void CandlesPastCapacity_ReplaceTheirSeriesQueuedUpdate_TheNewestCandleOfEverySeriesIsKept()
    {
        var q = new FeedEventQueue(tickCapacity: 10, candleCapacity: 2);
        Assert.True(q.EnqueueCandle(CandleAt(T0, 1)));
        Assert.True(q.EnqueueCandle(CandleAt(T0 + 60, 2)));
        Assert.False(q.EnqueueCandle(CandleAt(T0 + 120, 3))); // full: supersedes GC's queued T0+60 update
        Assert.True(q.EnqueueCandle(CandleAt(T0 + 120, 4))); // same open time: coalesces as always
        Assert.True(q.EnqueueCandle(CandleAt(T0, 5, Symbol.SI))); // a series with nothing queued is never refused
        var events = Drain(q);
        Assert.Equal([1.0, 4.0, 5.0], events.Select(e => e.Candle.Close));
        Assert.Equal(T0 + 120, events[1].Candle.OpenTime);
    }

    [Fact]
    public void CoalescingMap_HoldsOnlySeriesWithAnUpdateQueued()
    {
        var q = new FeedEventQueue(10);
        for (var i = 0; i < 1000; i++)
        {
            q.EnqueueCandle(CandleAt(T0, i + 1, Symbol.Parse($"S{i}")));
        }

        Assert.Equal(1000, q.CoalescingSeries);
        Assert.Equal(1000, Drain(q).Count);
        Assert.Equal(0, q.CoalescingSeries);
    }

    [Fact]
    public void ServerErrors_AreCappedAtTheirCapacity()
    {
        var q = new FeedEventQueue(10, errorCapacity: 3);
        var queued = Enumerable.Range(0, 10).Count(i => q.EnqueueError(MarketDataEvent.ForServerError($"e{i}")));
        Assert.Equal(3, queued);
        Assert.Equal(3, Drain(q).Count);
        Assert.True(q.EnqueueError(MarketDataEvent.ForServerError("after")));
    }

    [Fact]
    public void AReconnectStormWhileTheConsumerStalls_IsCollapsedToTheDropTheLastConnectAndTheNewest()
    {
        var q = new FeedEventQueue(10);
        q.EnqueueCandle(CandleAt(T0, 1));
        for (var i = 0; i < 10_000; i++)
        {
            q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Disconnected, "reset"));
            q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Reconnecting, null));
            q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Connected, null));
        }

        q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Backfilled, null));
        var events = Drain(q);
        Assert.Equal(MarketDataEventKind.Candle, events[0].Kind);
        Assert.InRange(events.Count - 1, 3, FeedEventQueue.MaxConnectionRun);
        var states = events.Skip(1).Select(e => e.State).ToList();
        Assert.Equal(SourceConnectionState.Disconnected, states[0]);
        Assert.Equal(SourceConnectionState.Backfilled, states[^1]);
        Assert.Equal(SourceConnectionState.Connected, states[^2]);
    }

    [Fact]
    public void ConnectionStates_AConsumerKeepsUpWith_AreAllKept()
    {
        var q = new FeedEventQueue(10);
        for (var attempt = 1; attempt < FeedEventQueue.MaxConnectionRun; attempt++)
        {
            q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Reconnecting, null, attempt));
        }

        Assert.Equal(Enumerable.Range(1, FeedEventQueue.MaxConnectionRun - 1), Drain(q).Select(e => e.Attempt));
    }

    [Fact]
    public void ConnectionStates_WithDataBetween_AreAllKept()
    {
        var q = new FeedEventQueue(10);
        q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Connected, null));
        q.EnqueueCandle(CandleAt(T0, 1));
        q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Disconnected, null));
        q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Connected, null));
        q.EnqueueControl(MarketDataEvent.ForConnection(SourceConnectionState.Backfilled, null));
        Assert.Equal(5, Drain(q).Count);
    }

    [Fact]
    public void HistoryAnswersOfOneSeries_QueuedTogether_AreMergedIntoTheNewestsTurn_NoBarLost()
    {
        var q = new FeedEventQueue(10);
        Candle Bar(long minute, double close) => Candle.Create(T0 + (minute * 60), close, close, close, close, 1);
        q.EnqueueControl(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, [Bar(0, 1), Bar(1, 1), Bar(2, 1)], 1, isBackfill: false));
        q.EnqueueControl(MarketDataEvent.ForHistory(Symbol.SI, Timeframe.OneMinute, [Bar(0, 9)], 0, isBackfill: false));
        q.EnqueueCandle(CandleAt(T0, 5));
        q.EnqueueControl(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, [Bar(2, 2), Bar(3, 2)], 2, isBackfill: true));
        var events = Drain(q);
        Assert.Equal([MarketDataEventKind.History, MarketDataEventKind.Candle, MarketDataEventKind.History], events.Select(e => e.Kind));
        Assert.Equal(Symbol.SI, events[0].Symbol);
        var merged = events[2];
        Assert.Equal([1.0, 1.0, 2.0, 2.0], merged.History!.Select(c => c.Close));
        Assert.Equal(3, merged.RejectedCandles);
        Assert.True(merged.IsBackfill);

        // Dequeued answers are not merged into later ones.
        q.EnqueueControl(MarketDataEvent.ForHistory(Symbol.GC, Timeframe.OneMinute, [Bar(4, 3)], 0, isBackfill: true));
        Assert.Single(Assert.Single(Drain(q)).History!);
    }

    [Fact]
    public void AStallThroughManyBackfills_HoldsOneAnswerPerSeries()
    {
        var q = new FeedEventQueue(10);
        for (var i = 0; i < 5_000; i++)
        {
            foreach (var symbol in new[] { Symbol.GC, Symbol.SI })
            {
                q.EnqueueControl(MarketDataEvent.ForHistory(symbol, Timeframe.OneMinute, [Candle.Create(T0 + (i * 60L), 1, 1, 1, 1, 1)], 0, isBackfill: true));
            }
        }

        Assert.Equal(2, q.Count);
        Assert.True(q.RingLength <= 1024, $"ring of {q.RingLength}");
        Assert.All(Drain(q), e => Assert.Equal(5_000, e.History!.Length));
    }
}
