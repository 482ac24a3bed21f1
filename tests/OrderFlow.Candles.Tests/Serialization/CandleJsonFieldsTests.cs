using System.Text;
using System.Text.Json;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Candles.Tests.Serialization;

public class CandleJsonFieldsTests
{
    public static TheoryData<CandleJsonField> Fields() => new(Enum.GetValues<CandleJsonField>().Where(f => f != CandleJsonField.Unknown));

    [Theory]
    [MemberData(nameof(Fields))]
    public void Find_NameOf_RoundTrips(CandleJsonField field)
    {
        Assert.Equal(field, CandleJsonFields.Find(CandleJsonFields.NameOf(field)));
    }

    [Fact]
    public void NameOf_IsTheWritersOrder()
    {
        var names = Enum.GetValues<CandleJsonField>().Where(f => f != CandleJsonField.Unknown).Select(f => Encoding.UTF8.GetString(CandleJsonFields.NameOf(f))).ToArray();
        Assert.Equal(["time", "open", "high", "low", "close", "volume", "buyVolume", "sellVolume", "delta"], names);
        Assert.True(CandleJsonFields.NameOf(CandleJsonField.Unknown).IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tim")]
    [InlineData("Time")]
    [InlineData("times")]
    [InlineData("lOw")]
    [InlineData("closE")]
    [InlineData("deltA")]
    [InlineData("volumes")]
    [InlineData("buyvolume")]
    [InlineData("sellVolumE")]
    [InlineData("symbol")]
    public void Find_OtherName_IsUnknown(string name)
    {
        Assert.Equal(CandleJsonField.Unknown, CandleJsonFields.Find(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void Find_OnAReader_MatchesEscapedAndSplitNames()
    {
        // "\u0074ime" is time escaped; the second candle's names are read from 1-byte segments.
        var json = """{"\u0074ime":1,"sellVolume":2,"x":3}"""u8.ToArray();
        var found = new List<CandleJsonField>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                found.Add(CandleJsonFields.Find(ref reader));
            }
        }

        var segmented = new Utf8JsonReader(OneByteSegments(json));
        while (segmented.Read())
        {
            if (segmented.TokenType == JsonTokenType.PropertyName)
            {
                found.Add(CandleJsonFields.Find(ref segmented));
            }
        }

        CandleJsonField[] once = [CandleJsonField.Time, CandleJsonField.SellVolume, CandleJsonField.Unknown];
        Assert.Equal([.. once, .. once], found);
    }

    [Fact]
    public void WriteProperties_LeavesTheObjectOpenForTheCallersOwn()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            CandleJsonWriter.WriteProperties(writer, Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031, 15, buyVolume: 9, sellVolume: 5));
            writer.WriteString("symbol", "GC");
            writer.WriteEndObject();
        }

        Assert.Equal("""{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15,"buyVolume":9,"sellVolume":5,"delta":4,"symbol":"GC"}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.True(CandleJsonReader.TryReadSingle(buffer.WrittenSpan, out var candle));
        Assert.Equal((9d, 5d), (candle.BuyVolume, candle.SellVolume));
    }

    private static System.Buffers.ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new System.Buffers.ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
