using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;

namespace OrderFlow.Benchmarks.Candles;

/// <summary>
/// Streaming aggregation 1m → 1h: each 1m candle goes into <see cref="TimeframeAggregator.Update"/> and the updated
/// hour is read back (<see cref="TimeframeAggregator.Current"/>), as a live chart publishes it; against a plain
/// aggregator that keeps the hour's minutes in a list and recomputes the hour with LINQ on every update.
/// </summary>
/// <remarks>
/// <b>Target:</b> 0 B per update, and a cost per update that does not grow with the number of minutes already in
/// the hour (no time target was set). Each invocation replays
/// the 100,000 minutes of <see cref="BenchmarkData.AscendingMinutes"/> after a <see cref="TimeframeAggregator.Reset"/>;
/// the reported time is per update.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class StreamingAggregateBenchmarks
{
    private const int Count = 100_000;

    private Candle[] _source = [];
    private TimeframeAggregator _aggregator = null!;
    private NaiveAggregator _naive = null!;

    [GlobalSetup]
    public void Setup()
    {
        _source = BenchmarkData.AscendingMinutes(Count);
        _aggregator = new TimeframeAggregator(Timeframe.OneMinute, Timeframe.OneHour);
        _naive = new NaiveAggregator(Timeframe.OneHour);
        var ours = Aggregator();
        var naive = NaiveLinqPerUpdate();
        if (ours != naive)
        {
            throw new InvalidOperationException($"The baseline disagrees: {naive} vs {ours}.");
        }
    }

    /// <summary>The plain approach: the hour's minutes in a list, the hour recomputed with LINQ on every update.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public Candle NaiveLinqPerUpdate()
    {
        var naive = _naive;
        naive.Reset();
        Candle current = default;
        foreach (var candle in _source)
        {
            current = naive.Update(candle);
        }

        return current;
    }

    /// <summary>OrderFlow: <see cref="TimeframeAggregator"/>, folding earlier minutes into a prefix once.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public Candle Aggregator()
    {
        var aggregator = _aggregator;
        aggregator.Reset();
        Candle current = default;
        var source = _source;
        for (var i = 0; i < source.Length; i++)
        {
            aggregator.Update(source[i]);
            current = aggregator.Current;
        }

        return current;
    }

    /// <summary>The straightforward streaming aggregator.</summary>
    public sealed class NaiveAggregator(Timeframe target)
    {
        private readonly List<Candle> _fine = new(64);
        private long _bucket = long.MinValue;

        public void Reset()
        {
            _fine.Clear();
            _bucket = long.MinValue;
        }

        public Candle Update(Candle fine)
        {
            var bucket = target.Floor(fine.OpenTime);
            if (bucket != _bucket)
            {
                _fine.Clear();
                _bucket = bucket;
            }

            var index = _fine.FindIndex(c => c.OpenTime == fine.OpenTime);
            if (index >= 0)
            {
                _fine[index] = fine;
            }
            else
            {
                _fine.Add(fine);
            }

            return Candle.Create(bucket, _fine[0].Open, _fine.Max(c => c.High), _fine.Min(c => c.Low), _fine[^1].Close, _fine.Sum(c => c.Volume));
        }
    }
}
