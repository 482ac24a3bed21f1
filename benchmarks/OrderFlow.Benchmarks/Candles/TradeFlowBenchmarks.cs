using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;

namespace OrderFlow.Benchmarks.Candles;

/// <summary>
/// Trades with their aggressor side into 1m order-flow candles (OHLCV + buy, sell and delta):
/// <see cref="TradeAggregator"/> against the plain approach, a LINQ group-by per minute.
/// </summary>
/// <remarks>
/// <b>Target (#9):</b> trades → order-flow candles per second on one core, 0 B per trade. 100,000 trades (about 1,000
/// a minute, so 100 minute crossings); the reported time is per trade.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class TradeFlowBenchmarks
{
    private const int Trades = 100_000;

    private Trade[] _trades = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(11);
        var time = 1_717_200_000_000L;
        var price = 2030.0;
        _trades = new Trade[Trades];
        for (var i = 0; i < Trades; i++)
        {
            time += rng.Next(0, 120);
            price = Math.Round(price + (rng.Next(-2, 3) * 0.1), 1);
            _trades[i] = new Trade(time, price, rng.Next(1, 20), (AggressorSide)rng.Next(0, 3));
        }

        if (Math.Abs(GroupByMinute() - Aggregator()) > 1e-9)
        {
            throw new InvalidOperationException("The baseline and the aggregator disagree.");
        }
    }

    /// <summary>The plain approach: group the trades by minute with LINQ and sum each side.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Trades)]
    public double GroupByMinute()
    {
        double delta = 0;
        foreach (var minute in _trades.GroupBy(t => t.EventTimeMs / 60_000))
        {
            double buy = 0, sell = 0;
            foreach (var t in minute)
            {
                buy += t.Side == AggressorSide.Buy ? t.Size : 0;
                sell += t.Side == AggressorSide.Sell ? t.Size : 0;
            }

            delta += buy - sell;
        }

        return delta;
    }

    /// <summary>OrderFlow: <see cref="TradeAggregator.Add"/>, taking each completed candle.</summary>
    [Benchmark(OperationsPerInvoke = Trades)]
    public double Aggregator()
    {
        var aggregator = new TradeAggregator(Timeframe.OneMinute);
        double delta = 0;
        foreach (ref readonly var trade in _trades.AsSpan())
        {
            aggregator.Add(trade);
            if (aggregator.TryTakeCompleted(out var done))
            {
                delta += done.Delta;
            }
        }

        return aggregator.TryFlush(out var last) ? delta + last.Delta : delta;
    }
}
