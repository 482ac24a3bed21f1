using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests.Book;

/// <summary>One input of a <see cref="ChartBook"/>, with the time it arrives.</summary>
public abstract record BookEvent(long Now)
{
    public DateTimeOffset NowTime => DateTimeOffset.FromUnixTimeSeconds(Now);

    public abstract void ApplyTo(ChartBook book);
}

public sealed record HistoryEvent(long Now, Timeframe Timeframe, Candle[] Candles) : BookEvent(Now)
{
    public override void ApplyTo(ChartBook book) => book.ApplyHistory(Timeframe, Candles, NowTime);

    public override string ToString() => $"@{Now} history {Timeframe} n={Candles.Length}";
}

public sealed record CandleEvent(long Now, Timeframe Timeframe, Candle Candle) : BookEvent(Now)
{
    public override void ApplyTo(ChartBook book) => book.ApplyCandle(Timeframe, Candle, NowTime);

    public override string ToString() => $"@{Now} candle {Timeframe} {Candle}";
}

public sealed record TickEvent(long Now, Tick Tick) : BookEvent(Now)
{
    public override void ApplyTo(ChartBook book) => book.ApplyTick(Tick, NowTime);

    public override string ToString() => $"@{Now} tick {Tick}";
}

/// <summary>
/// A market that really happened (ticks, so the true 1m candles), and what a feed tells of it: history answers of
/// every timeframe that has history (snapshots of the market as of some time, delivered at that time or later), and
/// the live stream (each minute as ticks or as growing candle snapshots). The interleaving is random; the truth is
/// fixed.
/// </summary>
public sealed class MarketScenario
{
    public static readonly long Start = new DateTimeOffset(2024, 5, 27, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private readonly List<(long Ms, double Price, double Size, AggressorSide Side)> _ticks = [];

    public MarketScenario(int seed)
    {
        Seed = seed;
        var random = new Random(seed);
        Minutes = random.Next(30, 600);
        LiveFrom = Start + (60L * random.Next(0, Minutes));
        WithHistory = [Timeframe.OneMinute, .. Timeframe.All.Skip(1).Where(_ => random.Next(3) > 0)];
        var price = 2000.0;
        for (var m = 0; m < Minutes; m++)
        {
            if (random.Next(20) == 0)
            {
                continue; // a minute without trades
            }

            var minute = Start + (60L * m);
            var ms = minute * 1000;
            for (var n = random.Next(1, 6); n > 0; n--)
            {
                ms += random.Next(1, 59_000 / 5);
                price = Math.Round(price + (random.Next(-8, 9) * 0.1), 1);
                _ticks.Add((ms, price, random.Next(1, 20), (AggressorSide)random.Next(3)));
            }
        }

        End = Start + (60L * Minutes);
        Truth = TruthAsOf(End * 1000);
        Events = BuildEvents(random);
    }

    public int Seed { get; }

    public int Minutes { get; }

    public long LiveFrom { get; }

    public long End { get; }

    public Timeframe[] WithHistory { get; }

    /// <summary>The true 1m candles.</summary>
    public Candle[] Truth { get; }

    public List<BookEvent> Events { get; }

    public static CandleRules Rules => CandleRules.Unlimited;

    public static ChartBook NewBook(int depth = 1_000_000) =>
        new(Timeframe.All.Select(tf => new ChartSpec(tf, Rules, depth)));

    public Candle[] Expected(Timeframe timeframe) =>
        timeframe == Timeframe.OneMinute ? Truth : CandleAggregation.Aggregate(Truth, Timeframe.OneMinute, timeframe);

    /// <summary>The 1m candles of the ticks up to <paramref name="ms"/>: each minute opens at the previous close (continuity).</summary>
    public Candle[] TruthAsOf(long ms)
    {
        var result = new List<Candle>();
        foreach (var tick in _ticks)
        {
            if (tick.Ms > ms)
            {
                break;
            }

            var minute = Timeframe.OneMinute.Floor(tick.Ms / 1000);
            var buy = tick.Side == AggressorSide.Buy ? tick.Size : 0;
            var sell = tick.Side == AggressorSide.Sell ? tick.Size : 0;
            if (result.Count > 0 && result[^1].OpenTime == minute)
            {
                var c = result[^1];
                result[^1] = Candle.Create(minute, c.Open, Math.Max(c.High, tick.Price), Math.Min(c.Low, tick.Price), tick.Price, c.Volume + tick.Size, c.BuyVolume + buy, c.SellVolume + sell);
            }
            else
            {
                var open = result.Count > 0 ? result[^1].Close : tick.Price;
                result.Add(Candle.Create(minute, open, Math.Max(open, tick.Price), Math.Min(open, tick.Price), tick.Price, tick.Size, buy, sell));
            }
        }

        return [.. result];
    }

    public override string ToString() =>
        $"seed={Seed} minutes={Minutes} liveFrom=+{(LiveFrom - Start) / 60}m history=[{string.Join(",", WithHistory.Select(t => t.Name))}] events={Events.Count}";

    private List<BookEvent> BuildEvents(Random random)
    {
        // The start: every timeframe's history as of the live start (empty where the feed has none).
        var events = new List<BookEvent>();
        foreach (var tf in Timeframe.All.OrderBy(_ => random.Next()))
        {
            events.Add(History(tf, LiveFrom * 1000, LiveFrom));
        }

        // The live stream, each minute as its ticks or as candle snapshots.
        var live = new List<BookEvent>();
        var truthMinutes = TruthAsOf(End * 1000).Where(c => c.OpenTime >= LiveFrom);
        var lastNow = LiveFrom;
        foreach (var minute in truthMinutes)
        {
            var ticks = _ticks.Where(t => Timeframe.OneMinute.Floor(t.Ms / 1000) == minute.OpenTime).ToArray();
            var asTicks = random.Next(2) == 0;
            foreach (var t in ticks)
            {
                // Delivered in order, up to a few seconds after it happened.
                var now = lastNow = Math.Max(lastNow, (t.Ms / 1000) + random.Next(0, 3));
                live.Add(asTicks
                    ? new TickEvent(now, new Tick(t.Ms, t.Price, t.Size) { Side = t.Side })
                    : new CandleEvent(now, Timeframe.OneMinute, TruthAsOf(t.Ms)[^1]));
            }
        }

        // Re-syncs: answers made at some time, delivered then or later (a slow server), anywhere in the stream.
        var resyncs = new List<BookEvent>();
        for (var n = random.Next(0, 6); n > 0 && live.Count > 0; n--)
        {
            var asOf = live[random.Next(live.Count)].Now;
            var tf = Timeframe.All[random.Next(Timeframe.All.Count)];
            resyncs.Add(History(tf, asOf * 1000, asOf + random.Next(0, 300)));
        }

        foreach (var e in live.Concat(resyncs).OrderBy(e => e.Now))
        {
            events.Add(e);
        }

        return events;
    }

    private HistoryEvent History(Timeframe tf, long asOfMs, long deliveredAt)
    {
        if (!WithHistory.Contains(tf))
        {
            return new HistoryEvent(deliveredAt, tf, []);
        }

        var asOf = TruthAsOf(asOfMs);
        var candles = tf == Timeframe.OneMinute ? asOf : CandleAggregation.Aggregate(asOf, Timeframe.OneMinute, tf);
        return new HistoryEvent(deliveredAt, tf, candles);
    }
}
