using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Databento;

namespace OrderFlow.Benchmarks.Databento;

/// <summary>
/// OHLCV records → OrderFlow <see cref="Candle"/>s with their root symbol (1,000,000 records from memory):
/// <see cref="DbnCandles.TryToCandle(in OhlcvMsg, out Candle)"/> plus <see cref="DbnSymbolMap.TryGetRoot"/>, against
/// the plain approach — format each price as decimal text and parse it back (the "decimal string" route).
/// </summary>
/// <remarks><b>Target:</b> 0 B/record and at least 20 million candles/s on one core.</remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class DbnCandleBenchmarks
{
    private byte[] _dbn = [];
    private DbnSymbolMap _map = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dbn = DbnBenchmarkData.Ohlcv(DbnBenchmarkData.Records);
        _map = new DbnSymbolMap();
        _map.Add(42, "GCZ4");
        if (Math.Abs(ViaDecimalText() - ToCandles()) > 1e-3)
        {
            throw new InvalidOperationException("The conversions disagree.");
        }
    }

    /// <summary>The plain route: each price through its decimal text and <see cref="double.Parse(string, IFormatProvider)"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = DbnBenchmarkData.Records)]
    public double ViaDecimalText()
    {
        var reader = DbnSpanReader.Create(_dbn, out _);
        double sum = 0;
        while (reader.TryRead(out var record))
        {
            var bar = record.As<OhlcvMsg>();
            var c = Candle.Create(
                (long)(bar.Header.TsEvent / 1_000_000_000),
                double.Parse(bar.Open.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(bar.High.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(bar.Low.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(bar.Close.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                bar.Volume);
            sum += c.Close;
        }

        return sum;
    }

    /// <summary>OrderFlow: <see cref="DbnCandles.TryToCandle(in OhlcvMsg, out Candle)"/> and the root lookup.</summary>
    [Benchmark(OperationsPerInvoke = DbnBenchmarkData.Records)]
    public double ToCandles()
    {
        var reader = DbnSpanReader.Create(_dbn, out _);
        double sum = 0;
        while (reader.TryRead(out var record))
        {
            if (_map.TryGetRoot(record.InstrumentId, record.TsEvent, out _)
                && DbnCandles.TryToCandle(record.AsRef<OhlcvMsg>(), out var candle) == CandleRejection.None)
            {
                sum += candle.Close;
            }
        }

        return sum;
    }
}
