using System.Buffers;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Benchmarks.Feed;

/// <summary>Deterministic feed frames for the parsing benchmarks.</summary>
internal static class FeedBenchmarkData
{
    public const long T0 = 1_704_067_200;

    public static byte[][] CandleFrames(int count)
    {
        var rng = new Random(42);
        var frames = new byte[count][];
        var price = 2030.5;
        for (var i = 0; i < count; i++)
        {
            price = Math.Round(price + ((rng.Next(-5, 6)) * 0.1), 1);
            var candle = Candle.Create(T0 + (i * 60), price, price + 0.7, price - 0.4, price + 0.2, rng.Next(1, 5000));
            frames[i] = Encode(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, candle));
        }

        return frames;
    }

    /// <summary>Candle frames with order flow: <c>buyVolume</c>, <c>sellVolume</c> and <c>delta</c> after <c>volume</c>.</summary>
    public static byte[][] FlowCandleFrames(int count)
    {
        var rng = new Random(42);
        var frames = new byte[count][];
        var price = 2030.5;
        for (var i = 0; i < count; i++)
        {
            price = Math.Round(price + ((rng.Next(-5, 6)) * 0.1), 1);
            var volume = rng.Next(1, 5000);
            var buy = rng.Next(0, volume + 1);
            var sell = rng.Next(0, volume - buy + 1);
            var candle = Candle.Create(T0 + (i * 60), price, price + 0.7, price - 0.4, price + 0.2, volume, buy, sell);
            frames[i] = Encode(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, candle));
        }

        return frames;
    }

    public static byte[][] TickFrames(int count)
    {
        var rng = new Random(7);
        var frames = new byte[count][];
        var price = 2030.5;
        for (var i = 0; i < count; i++)
        {
            price = Math.Round(price + ((rng.Next(-2, 3)) * 0.1), 1);
            var tick = new Tick((T0 * 1000) + (i * 137L), price, rng.Next(1, 20));
            frames[i] = Encode(b => FeedMessageWriter.WriteTick(b, Symbol.GC, tick));
        }

        return frames;
    }

    public static byte[] HistoryFrame(int bars)
    {
        var rng = new Random(3);
        var candles = new Candle[bars];
        var price = 2030.5;
        for (var i = 0; i < bars; i++)
        {
            price = Math.Round(price + ((rng.Next(-5, 6)) * 0.1), 1);
            candles[i] = Candle.Create(T0 + (i * 60), price, price + 0.7, price - 0.4, price + 0.2, rng.Next(1, 5000));
        }

        return Encode(b => FeedMessageWriter.WriteHistory(b, Symbol.GC, Timeframe.OneMinute, candles));
    }

    /// <summary>Splits a frame into three segments (as a pipe may hand it out), cutting inside numbers.</summary>
    public static ReadOnlySequence<byte> ThreeSegments(byte[] frame)
    {
        var a = new Chunk(frame.AsMemory(0, frame.Length / 3), 0);
        var b = a.Append(frame.AsMemory(frame.Length / 3, frame.Length / 3));
        var c = b.Append(frame.AsMemory(2 * (frame.Length / 3)));
        return new ReadOnlySequence<byte>(a, 0, c, c.Memory.Length);
    }

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
