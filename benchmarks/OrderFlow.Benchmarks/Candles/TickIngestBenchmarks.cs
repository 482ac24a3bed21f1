using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Benchmarks.Candles;

/// <summary>
/// Ticks into the live 1m candle of GC with the live rules on (<see cref="CandleRuleBook.Default"/>: spike rejection
/// at 15 points, wick clamp at 10 points, continuity): <see cref="LiveCandleSeries.ApplyTick"/> against a plain
/// class-based builder that floors each tick by division and allocates a new immutable candle per tick.
/// </summary>
/// <remarks>
/// <b>Target:</b> 0 B/tick and at least 100 million ticks/s on one core (≤ 10 ns/tick). Each invocation replays the
/// same 100,000 pre-generated ticks (<see cref="BenchmarkData.Ticks"/>: ~1,000 a minute, so 101 minute crossings,
/// and 3 rejected spikes) after re-seeding the series with the candle before them, so every invocation does the same
/// work. The reported time is per tick.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class TickIngestBenchmarks
{
    private const int TicksPerInvoke = 100_000;

    private Tick[] _ticks = [];
    private Candle[] _seed = [];
    private LiveCandleSeries _series = null!;
    private NaiveLiveCandle _naive = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ticks = BenchmarkData.Ticks(TicksPerInvoke, out var seed, out _);
        _seed = [seed];
        var rules = CandleRuleBook.Default.Get(Symbol.GC, Timeframe.OneMinute);
        _series = new LiveCandleSeries(Timeframe.OneMinute, rules);
        _naive = new NaiveLiveCandle(rules.MaxPriceMove, rules.MaxWick);

        // Both must agree on the result, or the comparison means nothing.
        var ours = LiveSeries();
        var naive = NaiveClassPerTick();
        if (ours != naive.ToCandle())
        {
            throw new InvalidOperationException($"The baseline disagrees: {naive.ToCandle()} vs {ours}.");
        }
    }

    /// <summary>The plain approach: divide to find the minute, allocate a new immutable candle object per tick.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public NaiveCandle NaiveClassPerTick()
    {
        var naive = _naive;
        naive.Seed(_seed[0]);
        foreach (var tick in _ticks)
        {
            naive.Apply(tick);
        }

        return naive.Current!;
    }

    /// <summary>OrderFlow: <see cref="LiveCandleSeries.ApplyTick"/> with the GC 1m live rules.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public Candle LiveSeries()
    {
        var series = _series;
        series.Seed(_seed);
        var ticks = _ticks;
        for (var i = 0; i < ticks.Length; i++)
        {
            series.ApplyTick(ticks[i]);
        }

        return series.Current;
    }

    /// <summary>An immutable candle object: what the straightforward implementation allocates per tick.</summary>
    public sealed class NaiveCandle(long openTime, double open, double high, double low, double close, double volume)
    {
        public long OpenTime { get; } = openTime;

        public double Open { get; } = open;

        public double High { get; } = high;

        public double Low { get; } = low;

        public double Close { get; } = close;

        public double Volume { get; } = volume;

        public Candle ToCandle() => Candle.Create(OpenTime, Open, High, Low, Close, Volume);
    }

    /// <summary>
    /// The straightforward live candle: the same rules as the seed (spike against the last accepted price, continuity
    /// on a new minute, wick clamp), held in an immutable object replaced on every tick, with the minute found by
    /// division.
    /// </summary>
    public sealed class NaiveLiveCandle(double maxMove, double maxWick)
    {
        private readonly List<NaiveCandle> _history = new(512);
        private double _reference;

        public NaiveCandle? Current { get; private set; }

        public void Seed(Candle candle)
        {
            _history.Clear();
            Current = new NaiveCandle(candle.OpenTime, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume);
            _reference = candle.Close;
        }

        public void Apply(Tick tick)
        {
            var price = tick.Price;
            if (!(price > 0 && price <= double.MaxValue) || !(tick.Size >= 0))
            {
                return;
            }

            if (Math.Abs(price - _reference) > maxMove)
            {
                // Recovery after three agreeing spikes is left out: the data never needs it.
                return;
            }

            _reference = price;
            var minute = tick.EventTimeMs / 60_000 * 60;
            var c = Current!;
            NaiveCandle next;
            if (minute == c.OpenTime)
            {
                next = new NaiveCandle(c.OpenTime, c.Open, Math.Max(c.High, price), Math.Min(c.Low, price), price, c.Volume + tick.Size);
            }
            else
            {
                _history.Add(c);
                if (_history.Count > 499)
                {
                    _history.RemoveAt(0);
                }

                var open = c.Close;
                next = new NaiveCandle(minute, open, Math.Max(open, price), Math.Min(open, price), price, tick.Size);
            }

            var bodyHigh = Math.Max(next.Open, next.Close);
            var bodyLow = Math.Min(next.Open, next.Close);
            if (next.High - bodyHigh > maxWick || bodyLow - next.Low > maxWick)
            {
                next = new NaiveCandle(next.OpenTime, next.Open, Math.Min(next.High, bodyHigh + maxWick), Math.Max(next.Low, bodyLow - maxWick), next.Close, next.Volume);
            }

            Current = next;
        }
    }
}
