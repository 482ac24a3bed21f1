using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Benchmarks.Feed;

/// <summary>
/// Decoding live <c>candle</c> (without and with order flow) and <c>tick</c> frames from UTF-8 bytes: <see cref="FeedMessageReader"/> against
/// <see cref="JsonSerializer"/> into a DTO plus the copy into domain values.
/// </summary>
/// <remarks>
/// <b>Target:</b> 0 B allocated per message and at least 2 million candle messages/s on one core (≤ 500 ns each).
/// <c>Segments=3</c> reads each frame as three pipe segments cut inside tokens (the DTO baseline needs one contiguous
/// buffer, so it copies the sequence first, as a pipe reader would have to). Time is per message.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
public class MessageParseBenchmarks
{
    private const int Messages = 1_000;

    private byte[][] _frames = [];
    private ReadOnlySequence<byte>[] _sequences = [];

    /// <summary><c>flowcandle</c>: candle frames carrying <c>buyVolume</c>, <c>sellVolume</c> and <c>delta</c>.</summary>
    [Params("candle", "tick", "flowcandle")]
    public string Kind { get; set; } = "candle";

    [Params(1, 3)]
    public int Segments { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _frames = Kind switch
        {
            "candle" => FeedBenchmarkData.CandleFrames(Messages),
            "flowcandle" => FeedBenchmarkData.FlowCandleFrames(Messages),
            _ => FeedBenchmarkData.TickFrames(Messages),
        };
        _sequences = _frames.Select(f => Segments == 1 ? new ReadOnlySequence<byte>(f) : FeedBenchmarkData.ThreeSegments(f)).ToArray();
        if (Math.Abs(Reader() - SerializerDto()) > 1e-6)
        {
            throw new InvalidOperationException("The baseline and the reader disagree.");
        }
    }

    /// <summary>The plain approach: JsonSerializer into a DTO, then validated domain values.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public double SerializerDto()
    {
        double sum = 0;
        foreach (var sequence in _sequences)
        {
            var dto = sequence.IsSingleSegment
                ? JsonSerializer.Deserialize<FeedMessageDto>(sequence.FirstSpan)!
                : JsonSerializer.Deserialize<FeedMessageDto>(sequence.ToArray())!;
            if (dto.Type == "candle")
            {
                var d = dto.Data!;
                _ = Symbol.Parse(dto.Symbol!);
                _ = Timeframe.Parse(dto.Timeframe!);
                var candle = d.BuyVolume + d.SellVolume > 0
                    ? Candle.Create(d.Time, d.Open, d.High, d.Low, d.Close, d.Volume, d.BuyVolume, d.SellVolume)
                    : Candle.Create(d.Time, d.Open, d.High, d.Low, d.Close, d.Volume);
                sum += candle.Close + candle.Delta;
            }
            else
            {
                _ = Symbol.Parse(dto.Symbol!);
                sum += new Tick(dto.Time ?? 0, dto.Price!.Value, dto.Size!.Value).Price;
            }
        }

        return sum;
    }

    /// <summary>OrderFlow's reader, straight from the (multi-segment) bytes.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public double Reader()
    {
        double sum = 0;
        foreach (ref readonly var sequence in _sequences.AsSpan())
        {
            FeedMessageReader.TryRead(sequence, out var message, out _);
            sum += message.Type == FeedMessageType.Candle ? message.Candle.Close + message.Candle.Delta : message.Tick.Price;
        }

        return sum;
    }
}
