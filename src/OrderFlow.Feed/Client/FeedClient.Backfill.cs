using System.Globalization;
using System.Net.WebSockets;
using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.Feed.Diagnostics;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Client;

/// <content>History requests and answers: the first load, and the backfill after a reconnect that proves its coverage.</content>
public sealed partial class FeedClient
{
    /// <summary>
    /// Decides each subscription's history request for a new connection — the whole depth on the first connection, a
    /// backfill of the outage after a reconnect — before the connection can deliver anything: a live candle arriving
    /// first must not move the hole's start.
    /// </summary>
    /// <returns>How many bars to ask for, per subscription.</returns>
    private int[] PlanHistoryRequests(FeedSubscription[] subscriptions, DateTimeOffset? outageStart)
    {
        var bars = new int[subscriptions.Length];
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_subscriptions)
        {
            for (var i = 0; i < subscriptions.Length; i++)
            {
                var sub = subscriptions[i];
                if (outageStart is not { } dropped)
                {
                    bars[i] = sub.Bars;
                    continue;
                }

                if (!sub.AwaitingBackfill)
                {
                    // A hole still open from an earlier drop keeps its start: the candles seen since do not fill it.
                    sub.HoleStart = sub.LastSeenOpenTime;
                }

                sub.AwaitingBackfill = true;
                sub.BackfillBars = BackfillPlan.FirstRequest(sub, dropped.ToUnixTimeSeconds(), now, _options.BackfillMarginBars);
                bars[i] = sub.BackfillBars;
            }
        }

        if (outageStart is not null)
        {
            Volatile.Write(ref _pendingBackfill, subscriptions.Length);
        }

        return bars;
    }

    /// <summary>Sends the planned history requests, then the backfill requests asked again, until the connection ends.</summary>
    private async Task RequestHistoryAsync(ClientWebSocket socket, FeedSubscription[] subscriptions, int[] bars, bool backfill, ChannelReader<FeedSubscription> reasks, CancellationToken cancellationToken)
    {
        for (var i = 0; i < subscriptions.Length; i++)
        {
            await SendHistoryRequestAsync(socket, subscriptions[i].Symbol, subscriptions[i].Timeframe, bars[i], backfill, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var sub in reasks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            int again;
            lock (_subscriptions)
            {
                again = sub.BackfillBars;
            }

            await SendHistoryRequestAsync(socket, sub.Symbol, sub.Timeframe, again, backfill: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Answers are bounded by requests: a history answer for a series nobody follows, or with no request of its
    /// series pending, is dropped and counted (true). Otherwise, when <paramref name="answer"/>, it takes up its
    /// request; a peek (<see langword="false"/>) leaves the request pending for the answer itself.
    /// </summary>
    private bool DropUnlessRequested(FeedMessageType type, Candles.Symbol symbol, Candles.Timeframe timeframe, bool answer)
    {
        bool? requested = null;
        lock (_subscriptions)
        {
            if (_subscriptions.TryGetValue(new SeriesKey(symbol, timeframe), out var pending))
            {
                requested = pending.PendingHistory > 0;
                if (answer && pending.PendingHistory > 0)
                {
                    pending.PendingHistory--;
                }
            }
        }

        if (requested == true)
        {
            return false;
        }

        Drop(type, requested is null ? DropReason.Unsubscribed : DropReason.Unsolicited, symbol, timeframe);
        return true;
    }

    /// <summary>
    /// Delivers a history answer; a backfill answer only once it covers the outage (else it is asked again with more
    /// bars) or once the source has shown it cannot (then the hole is reported as a <see cref="MarketDataEventKind.LiveGap"/>).
    /// </summary>
    private void OnHistory(in FeedMessage message)
    {
        var candles = message.Candles!;
        if (DropUnlessRequested(message.Type, message.Symbol, message.Timeframe, answer: true))
        {
            return;
        }

        if (message.RejectedCandles > 0)
        {
            _metrics.RejectedCandles.Add(message.RejectedCandles);
            Log.HistoryCandlesRejected(_logger, message.Symbol.Value, message.Timeframe.Name, message.RejectedCandles);
        }

        var (oldest, newest) = OpenTimeRange(candles);
        var isBackfill = false;
        var verdict = default(BackfillVerdict);
        var requested = 0;
        FeedSubscription? askAgain = null;
        lock (_subscriptions)
        {
            if (_subscriptions.TryGetValue(new SeriesKey(message.Symbol, message.Timeframe), out var sub))
            {
                if (sub.AwaitingBackfill)
                {
                    requested = sub.BackfillBars;
                    var now = _time.GetUtcNow().ToUnixTimeSeconds();
                    verdict = BackfillPlan.Assess(sub.HoleStart, sub.Timeframe, requested, sub.Bars, candles.Length + message.RejectedCandles, candles.Length, oldest, now, _options.BackfillMarginBars);
                    if (verdict.Decision == BackfillDecision.AskAgain)
                    {
                        sub.BackfillBars = verdict.Bars;
                        askAgain = sub;
                    }
                    else
                    {
                        isBackfill = true;
                        sub.AwaitingBackfill = false;
                        sub.HoleStart = null;
                    }
                }

                if (askAgain is null)
                {
                    sub.HistoryReceived = true;
                    if (candles.Length > 0)
                    {
                        sub.LastSeenOpenTime = Math.Max(sub.LastSeenOpenTime ?? long.MinValue, NoLaterThanNow(message.Timeframe, newest));
                    }
                }
            }
        }

        if (askAgain is not null)
        {
            // The short answer is dropped, not delivered: the larger one holds it all, and a consumer that merged it
            // would hold a chart with a hole until then.
            _metrics.BackfillRetries.Add(1);
            Log.BackfillShort(_logger, message.Symbol.Value, message.Timeframe.Name, requested, candles.Length, verdict.Bars);

            // Fails only when the connection is already over; the next one starts this series' backfill again from
            // the same hole.
            _ = Volatile.Read(ref _backfillReasks)?.TryWrite(askAgain);

            return;
        }

        _queue.EnqueueControl(MarketDataEvent.ForHistory(message.Symbol, message.Timeframe, candles, message.RejectedCandles, isBackfill));
        if (!isBackfill)
        {
            return;
        }

        if (verdict.Decision == BackfillDecision.Gap)
        {
            ReportBackfillGap(message.Symbol, message.Timeframe, verdict, requested, candles.Length);
        }

        if (Interlocked.Decrement(ref _pendingBackfill) == 0)
        {
            var series = CountSubscriptions();
            Log.Backfilled(_logger, series);
            SetState(SourceConnectionState.Backfilled, null, 0);
        }
    }

    private void ReportBackfillGap(Symbol symbol, Timeframe timeframe, in BackfillVerdict gap, int requested, int received)
    {
        var bars = (gap.GapTo - gap.GapFrom + timeframe.Seconds - 1) / timeframe.Seconds;
        var from = DateTimeOffset.FromUnixTimeSeconds(gap.GapFrom).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var to = DateTimeOffset.FromUnixTimeSeconds(gap.GapTo).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        _metrics.BackfillGap(symbol, timeframe);
        Log.BackfillGap(_logger, symbol.Value, timeframe.Name, bars, from, to, requested, received);
        var text = string.Create(CultureInfo.InvariantCulture, $"{symbol} {timeframe}: the backfill after the reconnect cannot cover the outage: {bars} bar(s) from {from} to {to} (end exclusive) are missing; asked {requested}, received {received}");
        _queue.EnqueueControl(MarketDataEvent.ForLiveGap(symbol, timeframe, text));
    }

    private static (long Oldest, long Newest) OpenTimeRange(Candle[] candles)
    {
        if (candles.Length == 0)
        {
            return (0, 0);
        }

        // Answers come oldest first, but nothing in the protocol says so: look at every candle.
        long oldest = long.MaxValue, newest = long.MinValue;
        foreach (var candle in candles)
        {
            oldest = Math.Min(oldest, candle.OpenTime);
            newest = Math.Max(newest, candle.OpenTime);
        }

        return (oldest, newest);
    }
}
