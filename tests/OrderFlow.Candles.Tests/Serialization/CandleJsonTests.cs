using System.Buffers;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Candles.Tests.Serialization;

/// <summary>The candle JSON vocabulary: <see cref="CandleJsonWriter"/> and <see cref="CandleJsonReader"/> together.</summary>
public class CandleJsonTests
{
    [Fact]
    public void WriteArray_ThenReadArray_RoundTripsExactly()
    {
        var candles = new[]
        {
            Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000),
            Candle.Create(1704067260, 0.1 + 0.2, 1e9, 1e-9, 123.456789012345, 0),
        };
        var buffer = new ArrayBufferWriter<byte>();

        CandleJsonWriter.WriteArray(buffer, candles);

        Assert.Equal(candles, CandleJsonReader.ReadArray(buffer.WrittenSpan, out var rejected));
        Assert.Equal(0, rejected);
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('{')]
    public void ReadArray_AHostileValue_IsRefusedWithoutAllocatingMuchMoreThanItsOwnSize(char filler)
    {
        // 64 MB of padding (or of braces) in an array: before, sized from the length alone, 4 million candles (256 MB).
        var json = new byte[64 << 20];
        json.AsSpan().Fill((byte)filler);
        json[0] = (byte)'[';
        json[^1] = (byte)']';
        var before = GC.GetAllocatedBytesForCurrentThread();
        var candles = CandleJsonReader.ReadArray(json, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(filler == ' ' ? candles is { Length: 0 } : candles is null);
        Assert.True(allocated < json.Length * 2L, $"{allocated:N0} bytes allocated reading a {json.Length:N0}-byte value");
        Assert.True(filler != ' ' || allocated < 1 << 20, $"{allocated:N0} bytes allocated reading padding");
    }

    [Fact]
    public void ReadArray_AStoredChart_IsReadIntoOneArrayOfItsSize()
    {
        var candles = Enumerable.Range(0, 10_000).Select(i => Candle.Create(1704067200 + (i * 60L), 2030.5, 2031.2, 2030.1, 2031.0, 15000)).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        CandleJsonWriter.WriteArray(buffer, candles);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(candles, CandleJsonReader.ReadArray(buffer.WrittenSpan, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, (candles.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Candle>()) + 1024);
    }

    [Fact]
    public void FlowCandles_CarryBuySellAndDelta_AfterVolume_AndRoundTrip()
    {
        var candles = new[]
        {
            Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 150, 90, 40),
            Candle.Create(1704067260, 2031, 2032, 2030, 2030.5, 100, 10, 85.5),
            Candle.Create(1704067320, 2030.5, 2031, 2030, 2031, 7),
        };
        var buffer = new ArrayBufferWriter<byte>();

        CandleJsonWriter.WriteArray(buffer, candles);

        Assert.Equal(
            """[{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":150,"buyVolume":90,"sellVolume":40,"delta":50},"""
            + """{"time":1704067260,"open":2031,"high":2032,"low":2030,"close":2030.5,"volume":100,"buyVolume":10,"sellVolume":85.5,"delta":-75.5},"""
            + """{"time":1704067320,"open":2030.5,"high":2031,"low":2030,"close":2031,"volume":7}]""",
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(candles, CandleJsonReader.ReadArray(buffer.WrittenSpan, out var rejected));
        Assert.Equal(0, rejected);
    }

    [Fact]
    public void FlowFields_AreOptional_DeltaIsIgnored_AndAnyOrderReads()
    {
        var candles = CandleJsonReader.ReadArray("""[{"delta":999,"sellVolume":1,"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"buyVolume":2}]"""u8, out var rejected);
        Assert.Equal(0, rejected);
        var candle = Assert.Single(candles!);
        Assert.Equal((2.0, 1.0, 1.0), (candle.BuyVolume, candle.SellVolume, candle.Delta));
    }

    [Theory]
    [InlineData("""[{"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"buyVolume":2,"sellVolume":2}]""")]
    [InlineData("""[{"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"buyVolume":-1}]""")]
    [InlineData("""[{"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"sellVolume":"1"}]""")]
    public void InconsistentFlow_IsSkippedAndCounted(string json)
    {
        var candles = CandleJsonReader.ReadArray(System.Text.Encoding.UTF8.GetBytes(json), out var rejected);
        Assert.Empty(candles!);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public void WriteArray_Empty_IsEmptyJsonArray()
    {
        var buffer = new ArrayBufferWriter<byte>();
        CandleJsonWriter.WriteArray(buffer, []);
        Assert.Equal("[]"u8.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Empty(CandleJsonReader.ReadArray(buffer.WrittenSpan, out _)!);
    }

    [Fact]
    public void ReadArray_MillisecondTimes_AreConvertedToSeconds()
    {
        var candles = CandleJsonReader.ReadArray("""[{"time":1704067200000,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3}]"""u8, out _);
        Assert.Equal(1704067200, Assert.Single(candles!).OpenTime);
    }

    [Theory]
    [InlineData("""[{"time":1704067200,"open":"1","high":2,"low":0.5,"close":1.5,"volume":3}]""")]
    [InlineData("""[{"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5}]""")]
    [InlineData("""[{"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":-1}]""")]
    [InlineData("""[{"time":1704067200.5,"open":1,"high":2,"low":0.5,"close":1.5,"volume":1}]""")]
    [InlineData("""[{"time":1704067200,"open":0,"high":2,"low":0.5,"close":1.5,"volume":1}]""")]
    [InlineData("""[[1,2,3]]""")]
    [InlineData("""[null]""")]
    public void ReadArray_InvalidCandle_IsSkippedAndCounted(string json)
    {
        var candles = CandleJsonReader.ReadArray(System.Text.Encoding.UTF8.GetBytes(json), out var rejected);
        Assert.Empty(candles!);
        Assert.Equal(1, rejected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[{\"time\":1")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"text\"")]
    public void ReadArray_MalformedJson_ReturnsNull(string json) =>
        Assert.Null(CandleJsonReader.ReadArray(System.Text.Encoding.UTF8.GetBytes(json), out _));

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"time\":1704067200}")]
    [InlineData("{\"time\":1704067200,\"open\":1,\"high\":2,\"low\":0.5,\"close\":1.5,\"volume\":3} trailing")]
    public void TryReadSingle_Invalid_ReturnsFalse(string json) =>
        Assert.False(CandleJsonReader.TryReadSingle(System.Text.Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void ReadArray_UnknownProperties_AreIgnored()
    {
        var candles = CandleJsonReader.ReadArray("""[{"x":{"y":[1]},"time":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"z":"w"}]"""u8, out var rejected);
        Assert.Single(candles!);
        Assert.Equal(0, rejected);
    }

    [Fact]
    public void TryFormatShortDecimal_AlwaysParsesBackToTheSameDouble()
    {
        var random = new Random(42);
        Span<byte> text = stackalloc byte[32];
        var formatted = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var value = (i % 4) switch
            {
                0 => Math.Round(random.NextDouble() * 100_000, random.Next(0, 9)),
                1 => random.Next(0, 1_000_000) / Math.Pow(10, random.Next(0, 9)),
                2 => random.NextDouble() * Math.Pow(10, random.Next(-10, 16)),
                _ => random.Next(1, 100_000) * 0.25,
            };
            if (ShortDecimal.TryFormat(value, text, out var n))
            {
                formatted++;
                Assert.Equal(value, double.Parse(text[..n], System.Globalization.CultureInfo.InvariantCulture));
                Assert.NotEqual((byte)'.', text[n - 1]);
            }
        }

        Assert.True(formatted > 100_000, $"{formatted} formatted");
    }

    [Theory]
    [InlineData(2030.5, "2030.5")]
    [InlineData(2031.0, "2031")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.125, "0.125")]
    [InlineData(15000, "15000")]
    [InlineData(0, "0")]
    [InlineData(25.005, "25.005")]
    public void TryFormatShortDecimal_WritesShortestDecimal(double value, string expected)
    {
        Span<byte> text = stackalloc byte[32];
        Assert.True(ShortDecimal.TryFormat(value, text, out var n));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(text[..n]));
    }

    [Theory]
    [InlineData(0.30000000000000004)]
    [InlineData(1e20)]
    [InlineData(-1.5)]
    [InlineData(double.NaN)]
    public void TryFormatShortDecimal_Other_FallsBack(double value) =>
        Assert.False(ShortDecimal.TryFormat(value, stackalloc byte[32], out _));

    [Fact]
    public void WriteCandle_Milliseconds_WritesTheTimeInMilliseconds_AndTheSameFields()
    {
        var candle = Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 150, 90, 40);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CandleJsonWriter.WriteCandle(w, candle, CandleJsonTime.UnixMilliseconds);
        }

        Assert.Equal(
            """{"time":1704067200000,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":150,"buyVolume":90,"sellVolume":40,"delta":50}""",
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.True(CandleJsonReader.TryReadSingle(buffer.WrittenSpan, out var read));
        Assert.Equal(candle, read);
    }

    [Theory]
    [InlineData("[]", true)]
    [InlineData(" [ \n ] ", true)]
    [InlineData("[{\"time\":1}]", false)]
    [InlineData("\n[{}]\r\n", false)]
    public void TryGetArrayShape_Array_IsTrue(string json, bool empty)
    {
        Assert.True(CandleJsonReader.TryGetArrayShape(System.Text.Encoding.UTF8.GetBytes(json), out var isEmpty));
        Assert.Equal(empty, isEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[")]
    [InlineData("[{\"time\":1")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"[]\"")]
    [InlineData("null")]
    public void TryGetArrayShape_Other_IsFalse(string json) =>
        Assert.False(CandleJsonReader.TryGetArrayShape(System.Text.Encoding.UTF8.GetBytes(json), out _));
}
