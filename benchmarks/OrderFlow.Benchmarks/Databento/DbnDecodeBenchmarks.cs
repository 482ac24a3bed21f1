using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using OrderFlow.Databento;

namespace OrderFlow.Benchmarks.Databento;

/// <summary>
/// Decoding 1,000,000 OHLCV-1m records (56 MB of DBN v3) from memory: <see cref="DbnSpanReader"/> with typed
/// access and <see cref="DbnDecoder"/> over a <see cref="MemoryStream"/>, against the floor — a plain loop that
/// steps through the same bytes by the length byte and sums one field with <see cref="BinaryPrimitives"/>.
/// </summary>
/// <remarks>
/// <b>Target:</b> 0 B/record and at least 50 million OHLCV records/s on one core (≤ 20 ns/record). The reported time
/// is per record; GB/s = 56 bytes / (ns per record).
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class DbnOhlcvDecodeBenchmarks
{
    private byte[] _dbn = [];
    private int _metadataLength;

    [GlobalSetup]
    public void Setup()
    {
        _dbn = DbnBenchmarkData.Ohlcv(DbnBenchmarkData.Records);
        DbnMetadataReader.Read(_dbn, out _metadataLength);
        if (PlainLoop() != SpanReader() || SpanReader() != StreamDecoder())
        {
            throw new InvalidOperationException("The decoders disagree with the plain loop.");
        }
    }

    /// <summary>The floor: hop record to record by the length byte, read the close price at offset 40.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = DbnBenchmarkData.Records)]
    public long PlainLoop()
    {
        var span = _dbn.AsSpan(_metadataLength);
        long sum = 0;
        var pos = 0;
        while (pos < span.Length)
        {
            sum += BinaryPrimitives.ReadInt64LittleEndian(span[(pos + 40)..]);
            pos += span[pos] * 4;
        }

        return sum;
    }

    /// <summary>OrderFlow: <see cref="DbnSpanReader"/> (framing and per-rtype length checks) and <c>AsRef&lt;OhlcvMsg&gt;</c>.</summary>
    [Benchmark(OperationsPerInvoke = DbnBenchmarkData.Records)]
    public long SpanReader()
    {
        var reader = DbnSpanReader.Create(_dbn, out _);
        long sum = 0;
        while (reader.TryRead(out var record))
        {
            sum += record.AsRef<OhlcvMsg>().Close.Raw;
        }

        return sum;
    }

    /// <summary>OrderFlow: <see cref="DbnDecoder"/> over a stream (64 KiB buffer refills, compression detection).</summary>
    [Benchmark(OperationsPerInvoke = DbnBenchmarkData.Records)]
    public long StreamDecoder()
    {
        using var decoder = DbnDecoder.Open(new MemoryStream(_dbn, writable: false));
        long sum = 0;
        while (decoder.ReadBatch())
        {
            while (decoder.TryRead(out var record))
            {
                sum += record.As<OhlcvMsg>().Close.Raw;
            }
        }

        return sum;
    }
}

/// <summary>
/// Decoding 1,000,000 trades (48 MB of DBN v3) from memory, against the same plain-loop floor.
/// </summary>
/// <remarks><b>Target:</b> 0 B/record; within 2× of the floor.</remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class DbnTradesDecodeBenchmarks
{
    private byte[] _dbn = [];
    private int _metadataLength;

    [GlobalSetup]
    public void Setup()
    {
        _dbn = DbnBenchmarkData.Trades(DbnBenchmarkData.Records);
        DbnMetadataReader.Read(_dbn, out _metadataLength);
        if (PlainLoop() != SpanReader())
        {
            throw new InvalidOperationException("The decoder disagrees with the plain loop.");
        }
    }

    /// <summary>The floor: hop by the length byte, sum the size at offset 24.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = DbnBenchmarkData.Records)]
    public long PlainLoop()
    {
        var span = _dbn.AsSpan(_metadataLength);
        long sum = 0;
        var pos = 0;
        while (pos < span.Length)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 24)..]);
            pos += span[pos] * 4;
        }

        return sum;
    }

    /// <summary>OrderFlow: <see cref="DbnSpanReader"/> and <c>TryAs&lt;TradeMsg&gt;</c> (a 48-byte copy).</summary>
    [Benchmark(OperationsPerInvoke = DbnBenchmarkData.Records)]
    public long SpanReader()
    {
        var reader = DbnSpanReader.Create(_dbn, out _);
        long sum = 0;
        while (reader.TryRead(out var record))
        {
            if (record.TryAs(out TradeMsg trade))
            {
                sum += trade.Size;
            }
        }

        return sum;
    }
}
