using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

/// <summary>Any segmentation of an encoded message stream parses to the same messages.</summary>
public class FrameStreamProperties
{
    private const int Cases = 1000;

    public static Arbitrary<(byte[] Stream, FeedMessageType[] Types, int[] Cuts)> Streams() =>
        (from count in Gen.Choose(1, 12)
         from kinds in Gen.ArrayOf(Gen.Choose(0, 3), count)
         from seed in Gen.Choose(0, int.MaxValue)
         from cutCount in Gen.Choose(0, 40)
         from cutSeeds in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), cutCount)
         select Build(kinds, seed, cutSeeds)).ToArbitrary();

    [Property(MaxTest = Cases, Arbitrary = [typeof(FrameStreamProperties)])]
    public void Parse_AnySegmentation_GivesTheSameMessages((byte[] Stream, FeedMessageType[] Types, int[] Cuts) input)
    {
        var expected = ParseAll(new ReadOnlySequence<byte>(input.Stream));
        Assert.Equal(input.Types, expected.Select(m => m.Type));
        var segmented = ParseAll(Segments.Split(input.Stream, input.Cuts));
        Assert.Equal(expected.Count, segmented.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Symbol, segmented[i].Symbol);
            Assert.Equal(expected[i].Candle, segmented[i].Candle);
            Assert.Equal(expected[i].Tick, segmented[i].Tick);
            Assert.Equal(expected[i].Candles ?? [], segmented[i].Candles ?? []);
        }
    }

    private static List<FeedMessage> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var messages = new List<FeedMessage>();
        while (FeedFrames.TryReadFrame(ref buffer, out var frame))
        {
            Assert.True(FeedMessageReader.TryRead(frame, out var message, out var error), error.ToString());
            messages.Add(message);
        }

        Assert.True(buffer.IsEmpty);
        return messages;
    }

    private static (byte[], FeedMessageType[], int[]) Build(int[] kinds, int seed, int[] cutSeeds)
    {
        var rng = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>();
        var types = new List<FeedMessageType>();
        var symbols = Symbol.Defaults;
        foreach (var kind in kinds)
        {
            var symbol = symbols[rng.Next(symbols.Count)];
            var tf = Timeframe.All[rng.Next(6)];
            var price = Math.Round(100 + (rng.NextDouble() * 20000), 2);
            var t = 1_704_067_200 + (rng.Next(100_000) * 60L);
            var candle = Candle.Create(t, price, price + 1.5, price - 0.25, price + 0.75, rng.Next(0, 100_000));
            switch (kind)
            {
                case 0:
                    FeedMessageWriter.WriteCandle(buffer, symbol, tf, candle);
                    types.Add(FeedMessageType.Candle);
                    break;
                case 1:
                    FeedMessageWriter.WriteTick(buffer, symbol, new Tick((t * 1000) + rng.Next(60_000), price, rng.Next(1, 50)));
                    types.Add(FeedMessageType.Tick);
                    break;
                case 2:
                    var history = Enumerable.Range(0, rng.Next(0, 30)).Select(i => Candle.Create(t + (i * 60), price, price + 1, price - 1, price, i)).ToArray();
                    FeedMessageWriter.WriteHistory(buffer, symbol, tf, history);
                    types.Add(FeedMessageType.HistoricalCandles);
                    break;
                default:
                    FeedMessageWriter.WritePong(buffer);
                    types.Add(FeedMessageType.Pong);
                    break;
            }

            buffer.GetSpan(1)[0] = FeedProtocol.FrameSeparator;
            buffer.Advance(1);
        }

        var bytes = buffer.WrittenSpan.ToArray();
        var cuts = cutSeeds.Select(c => 1 + (c % Math.Max(1, bytes.Length - 1))).ToArray();
        return (bytes, [.. types], cuts);
    }
}
