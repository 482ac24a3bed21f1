using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Benchmarks.Feed;

/// <summary>
/// Decoding one <c>historical_candles</c> answer of 100,000 1m bars (about 10 MB of JSON):
/// <see cref="FeedMessageReader"/> (its canonical fast path, and its general <see cref="Utf8JsonReader"/> path alone)
/// against <see cref="JsonSerializer"/> into DTOs copied into validated candles.
/// </summary>
/// <remarks><b>Target:</b> ≤ 20 ms per message; allocation: the candle array only.</remarks>
[MemoryDiagnoser]
public class HistoryParseBenchmarks
{
    private byte[] _frame = [];

    [GlobalSetup]
    public void Setup()
    {
        _frame = FeedBenchmarkData.HistoryFrame(100_000);
        if (Reader() != SerializerDto())
        {
            throw new InvalidOperationException("The baseline and the reader disagree.");
        }
    }

    /// <summary>The plain approach: JsonSerializer into a DTO list, then validated candles.</summary>
    [Benchmark(Baseline = true)]
    public int SerializerDto()
    {
        var dto = JsonSerializer.Deserialize<FeedMessageDto>(_frame)!;
        var candles = new Candle[dto.Candles!.Count];
        for (var i = 0; i < candles.Length; i++)
        {
            var c = dto.Candles[i];
            candles[i] = Candle.Create(c.Time, c.Open, c.High, c.Low, c.Close, c.Volume);
        }

        return candles.Length;
    }

    /// <summary>OrderFlow's reader (the canonical fast path).</summary>
    [Benchmark]
    public int Reader()
    {
        FeedMessageReader.TryRead(_frame, out var message, out _);
        return message.Candles!.Length;
    }

    /// <summary>OrderFlow's general path alone: <see cref="Utf8JsonReader"/> over the frame, for frames outside the canonical shape.</summary>
    [Benchmark]
    public int ReaderGeneralPath()
    {
        FeedMessageReader.TryReadGeneral(_frame, out var message, out _);
        return message.Candles!.Length;
    }
}
