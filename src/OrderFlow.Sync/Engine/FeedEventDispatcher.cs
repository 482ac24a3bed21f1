using Microsoft.Extensions.Logging;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.MarketData;
using OrderFlow.Sync.Diagnostics;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Hands each market-data event to its symbol's <see cref="ChartBook"/> and the writers what changed: the feed loop's
/// one job. Holds no candle maths: buckets, merging, propagation, derivation and limits are the book's.
/// </summary>
internal sealed class FeedEventDispatcher(SyncState state, BackfillGate gate, SyncCounters counters, LiveWriter liveWriter, ChartWriter chartWriter, HistorySchedule history, ILogger logger, TimeProvider time)
{
    private bool _everConnected;

    public SourceConnectionState FeedState { get; private set; }

    public void Handle(in MarketDataEvent e)
    {
        counters.Message();
        lock (state.Lock)
        {
            switch (e.Kind)
            {
                case MarketDataEventKind.Candle:
                    counters.MarketMessage("candle");
                    OnCandle(e.Symbol, e.Timeframe, e.Candle);
                    break;
                case MarketDataEventKind.Tick:
                    counters.MarketMessage("tick");
                    OnTick(e.Symbol, e.Tick);
                    break;
                case MarketDataEventKind.History:
                    counters.MarketMessage("history");
                    OnHistory(e.Symbol, e.Timeframe, e.History ?? [], e.IsBackfill);
                    break;
                case MarketDataEventKind.Connection:
                    counters.Metrics.Message("connection");
                    OnConnection(e);
                    break;
                case MarketDataEventKind.ServerError:
                    counters.Metrics.Message("server_error");
                    Log.ServerError(logger, e.Message);
                    break;
                case MarketDataEventKind.LiveGap:
                    counters.Metrics.Message("live_gap");
                    Log.LiveGap(logger, e.Message);
                    history.RequestNow(e.Symbol, e.Timeframe);
                    break;
            }
        }
    }

    /// <summary>Opens the gate of every waiting series (the backfill timed out); under the lock.</summary>
    public int OpenAll()
    {
        var opened = 0;
        foreach (var key in gate.AwaitingSeries())
        {
            Open(key.Symbol, key.Timeframe);
            opened++;
        }

        return opened;
    }

    private void OnCandle(Symbol symbol, Timeframe timeframe, in Candle candle)
    {
        if (state.FindBook(symbol) is not { } book || !book.Contains(timeframe)
            || gate.TryDefer(symbol, timeframe, candle, state.Find(symbol, timeframe)!.LiveBufferSize))
        {
            return;
        }

        Publish(symbol, timeframe, "candle", book.ApplyCandle(timeframe, candle, time.GetUtcNow()));
    }

    private void OnTick(Symbol symbol, in Tick tick)
    {
        if (state.FindBook(symbol) is not { } book || gate.IsAwaiting(symbol, book.Base))
        {
            return;
        }

        Publish(symbol, book.Base, "tick", book.ApplyTick(tick, time.GetUtcNow()));
    }

    private void Publish(Symbol symbol, Timeframe timeframe, string kind, in LiveOutcome outcome)
    {
        if (!outcome.Applied)
        {
            counters.LiveRejected(kind, new SeriesKey(symbol, timeframe), outcome.Rejection);
            return;
        }

        var now = time.GetTimestamp();
        foreach (var s in state.Find(symbol, outcome.Changed))
        {
            s.LastLiveTimestamp = now;
            liveWriter.Enqueue(s);
        }
    }

    // Candles the source's parser left out of the answer (MarketDataEvent.RejectedCandles) are counted by the source
    // (orderflow.feed.history.rejected), not again here.
    private void OnHistory(Symbol symbol, Timeframe timeframe, Candle[] candles, bool isBackfill)
    {
        if (state.FindBook(symbol) is not { } book || !book.Contains(timeframe))
        {
            return;
        }

        if (isBackfill)
        {
            counters.Metrics.Backfilled.Add(candles.Length);
        }

        if (isBackfill && candles.Length == 0)
        {
            // An outage the server has nothing for: not a sign that the timeframe has no history at all.
            Open(symbol, timeframe);
            return;
        }

        var outcome = book.ApplyHistory(timeframe, candles, time.GetUtcNow());
        var rejected = counters.HistoryRejected(outcome.Rejections);
        if (outcome.Derived)
        {
            Log.HistoryDerived(logger, symbol.Value, timeframe.Name, outcome.ChartLength, "a finer timeframe");
        }
        else
        {
            // The reasons are named so that an answer that lost candles says why (an outlier, the window, the future).
            var reasons = rejected == 0 ? string.Empty : $" ({outcome.Rejections})";
            Log.HistoryApplied(logger, symbol.Value, timeframe.Name, candles.Length, outcome.ChartLength, rejected, reasons, isBackfill ? " (backfill)" : string.Empty);
        }

        foreach (var s in state.Find(symbol, outcome.Changed))
        {
            s.ChartPending = true;
        }

        Open(symbol, timeframe);
        if (!outcome.Changed.IsEmpty)
        {
            chartWriter.Signal();
        }
    }

    private void OnConnection(in MarketDataEvent e)
    {
        FeedState = e.State;
        Log.FeedState(logger, e.State, e.Message is null ? string.Empty : ": " + e.Message);
        switch (e.State)
        {
            case SourceConnectionState.Connected:
                if (_everConnected)
                {
                    counters.Reconnected();
                }

                _everConnected = true;
                gate.Connected();
                break;
            case SourceConnectionState.Disconnected when _everConnected:
                gate.Close(state.Series);
                break;
            case SourceConnectionState.Backfilled:
                var opened = OpenAll();
                Log.BackfillComplete(logger, opened);
                break;
        }
    }

    /// <summary>Lets a series' live input through again and applies the candles that waited, oldest first.</summary>
    private void Open(Symbol symbol, Timeframe timeframe)
    {
        foreach (var candle in gate.Open(symbol, timeframe))
        {
            OnCandle(symbol, timeframe, candle);
        }
    }
}
