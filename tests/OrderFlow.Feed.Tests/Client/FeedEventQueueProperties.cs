using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;
using OrderFlow.Feed.Client;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// Coalescing is invisible to the consumer: whatever the queue drops as superseded, and however far behind the consumer
/// runs, the live candles it builds equal those built from every event in arrival order.
/// </summary>
public class FeedEventQueueProperties
{
    private const long T0 = 1_704_067_200;
    private static readonly Symbol[] Symbols = [Symbol.GC, Symbol.SI];

    /// <summary>A server's stream for two symbols over a few minutes: trades, and after some of them the minute's candle as it stands (always the final one when a minute closes).</summary>
    /// <param name="seed">Seeds the trades and the points at which candle updates are sent and the consumer reads.</param>
    [Property(MaxTest = 1000)]
    public void TheConsumerBuildsTheSameCandles_AsFromEveryEventInOrder(int seed)
    {
        var rng = new Random(seed);
        var server = Symbols.ToDictionary(s => s, _ => NewSeries());
        var direct = Symbols.ToDictionary(s => s, _ => NewSeries());
        var consumer = Symbols.ToDictionary(s => s, _ => NewSeries());
        var queue = new FeedEventQueue(tickCapacity: 100_000);

        void Send(in MarketDataEvent e)
        {
            Apply(direct, e);
            var queued = e.Kind == MarketDataEventKind.Tick ? queue.EnqueueTick(e) : queue.EnqueueCandle(e);
            Assert.True(queued);
        }

        var timeMs = T0 * 1000;
        var trades = rng.Next(1, 300);
        for (var i = 0; i < trades; i++)
        {
            var symbol = Symbols[rng.Next(Symbols.Length)];
            var previousMinute = server[symbol].HasCurrent ? server[symbol].Current.OpenTime : long.MinValue;
            timeMs += rng.Next(0, 4000);
            var tick = new Tick(timeMs, 2000 + (rng.Next(-10, 11) * 0.1), rng.Next(1, 5));
            if (previousMinute != long.MinValue && Timeframe.OneMinute.Floor(timeMs / 1000) != previousMinute)
            {
                // The minute closes: its final update first.
                Send(MarketDataEvent.ForCandle(symbol, Timeframe.OneMinute, server[symbol].ToArray()[^1]));
            }

            Assert.Equal(CandleRejection.None, server[symbol].ApplyTick(tick));
            Send(MarketDataEvent.ForTick(symbol, tick));
            if (rng.Next(3) == 0)
            {
                Send(MarketDataEvent.ForCandle(symbol, Timeframe.OneMinute, server[symbol].Current));
            }

            for (var reads = rng.Next(0, 4) == 0 ? rng.Next(1, 6) : 0; reads > 0 && queue.TryDequeue(out var e); reads--)
            {
                Apply(consumer, e);
            }
        }

        while (queue.TryDequeue(out var e))
        {
            Apply(consumer, e);
        }

        foreach (var symbol in Symbols)
        {
            Assert.Equal(direct[symbol].ToArray(), consumer[symbol].ToArray());
            Assert.Equal(server[symbol].ToArray(), consumer[symbol].ToArray());
        }
    }

    private static LiveCandleSeries NewSeries() => new(Timeframe.OneMinute, new CandleRules { Live = RuleSet.None });

    private static void Apply(Dictionary<Symbol, LiveCandleSeries> series, in MarketDataEvent e)
    {
        var rejection = e.Kind == MarketDataEventKind.Tick ? series[e.Symbol].ApplyTick(e.Tick) : series[e.Symbol].ApplyCandle(e.Candle);
        Assert.Equal(CandleRejection.None, rejection);
    }
}
