using System.Buffers;
using System.Net.WebSockets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// Any fragmentation of a stream of WebSocket messages gives back each text message byte for byte (whatever bytes it
/// holds: the framing, not the content, delimits it), and each binary or oversized message as one rejection.
/// </summary>
public class MessageAssemblerProperties
{
    private const int Cases = 1000;
    private const int Limit = 4096;

    public static Arbitrary<Message[]> Streams() =>
        (from count in Gen.Choose(1, 12)
         from messages in Gen.ArrayOf(MessageGen(), count)
         select messages).ToArbitrary();

    [Property(MaxTest = Cases, Arbitrary = [typeof(MessageAssemblerProperties)])]
    public void AnyFragmentation_GivesEachMessageWhole_OrOneRejection(Message[] stream)
    {
        using var assembler = new MessageAssembler(Limit);
        foreach (var message in stream)
        {
            var offset = 0;
            var fragment = 0;
            MessageStatus status;
            do
            {
                var size = Math.Min(message.Fragments[fragment++ % message.Fragments.Length], message.Bytes.Length - offset);
                var memory = assembler.GetReceiveMemory(size);
                var n = Math.Min(size, memory.Length);   // the socket fills at most what it is given
                message.Bytes.AsSpan(offset, n).CopyTo(memory.Span);
                offset += n;
                status = assembler.Append(n, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, offset == message.Bytes.Length);
                Assert.True(offset == message.Bytes.Length || status == MessageStatus.Incomplete);
            }
            while (offset < message.Bytes.Length);

            if (message.Binary)
            {
                Assert.Equal(MessageStatus.Binary, status);
                Assert.Equal(message.Bytes.AsSpan(0, Math.Min(message.Bytes.Length, MessageAssembler.HeadBytes)), assembler.RejectedHead);
            }
            else if (message.Bytes.Length > Limit)
            {
                Assert.Equal(MessageStatus.TooLarge, status);
                Assert.Equal(message.Bytes.AsSpan(0, MessageAssembler.HeadBytes), assembler.RejectedHead);
            }
            else
            {
                Assert.Equal(MessageStatus.Text, status);
                Assert.Equal(message.Bytes, assembler.Message.ToArray());
                assembler.Reset();
            }
        }
    }

    [Fact]
    public void AMessageAtTheLimit_IsKept_AndOneByteMore_IsRejected()
    {
        using var assembler = new MessageAssembler(Limit);
        Assert.Equal(MessageStatus.Text, Feed(assembler, new byte[Limit]));
        Assert.Equal(Limit, assembler.Message.Length);
        assembler.Reset();
        Assert.Equal(MessageStatus.TooLarge, Feed(assembler, new byte[Limit + 1]));
        Assert.Equal(MessageStatus.Text, Feed(assembler, "{}"u8.ToArray()));
        Assert.Equal("{}"u8.ToArray(), assembler.Message.ToArray());
    }

    [Fact]
    public void ProtocolMessages_ComeOutAsWritten_AndParse()
    {
        using var assembler = new MessageAssembler(Limit);
        var buffer = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteCandle(buffer, Symbol.GC, Timeframe.OneMinute, Candle.Create(1_704_067_200, 2030.5, 2031.2, 2030.1, 2031, 15));
        Assert.Equal(MessageStatus.Text, Feed(assembler, buffer.WrittenSpan.ToArray(), fragment: 7));
        Assert.True(FeedMessageReader.TryRead(assembler.Message, out var message, out var error), error.ToString());
        Assert.Equal(FeedMessageType.Candle, message.Type);
        Assert.Equal(2031, message.Candle.Close);
    }

    private static MessageStatus Feed(MessageAssembler assembler, byte[] bytes, int fragment = 1000)
    {
        var offset = 0;
        MessageStatus status;
        do
        {
            var memory = assembler.GetReceiveMemory(fragment);
            var n = Math.Min(Math.Min(fragment, memory.Length), bytes.Length - offset);
            bytes.AsSpan(offset, n).CopyTo(memory.Span);
            offset += n;
            status = assembler.Append(n, WebSocketMessageType.Text, offset == bytes.Length);
        }
        while (offset < bytes.Length);
        return status;
    }

    private static Gen<Message> MessageGen() =>
        from kind in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
        from length in kind == 2 ? Gen.Choose(Limit + 1, Limit * 3) : Gen.Frequency((4, Gen.Choose(0, 200)), (1, Gen.Choose(200, Limit)))
        from seed in Gen.Choose(0, int.MaxValue)
        from fragments in Gen.ArrayOf(Gen.Choose(1, 700), 1 + (seed % 5))
        select Build(kind, length, seed, fragments);

    private static Message Build(int kind, int length, int seed, int[] fragments)
    {
        // Every byte value, the old in-band separators 0x1E and 0x00 among them, may appear anywhere.
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return new Message(bytes, kind == 1, fragments);
    }

    public sealed record Message(byte[] Bytes, bool Binary, int[] Fragments)
    {
        public override string ToString() => $"{(Binary ? "binary" : "text")} {Bytes.Length} B in fragments of {string.Join(',', Fragments)}";
    }
}
