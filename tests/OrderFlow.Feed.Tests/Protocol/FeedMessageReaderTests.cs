using System.Buffers;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

public class FeedMessageReaderTests
{
    private const string CandleFrame = """{"type":"candle","symbol":"GC","timeframe":"1m","data":{"time":1704067200000,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031.0,"volume":15000}}""";
    private const string TickFrame = """{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250}""";
    private const string HistoryFrame = """{"type":"historical_candles","symbol":"ES","timeframe":"5m","candles":[{"time":1704067200000,"open":4770.25,"high":4771,"low":4769.5,"close":4770.75,"volume":1200},{"time":1704067500000,"open":4770.75,"high":4772,"low":4770,"close":4771.5,"volume":900}]}""";

    public static TheoryData<string> ValidFrames => new()
    {
        CandleFrame,
        TickFrame,
        HistoryFrame,
        """{"type":"historical_candles","symbol":"NQ","timeframe":"1d","data":[]}""",
        """{"type":"pong"}""",
        """{"type":"error","message":"unknown symbol \"XX\""}""",
        """{"type":"get_history","symbol":"CL","timeframe":"4h","bars":2200}""",
        """{"type":"ping"}""",
        """{"type":"tick","symbol":"SI","price":25.125,"size":1}""",
    };

    private static FeedMessage Read(string json)
    {
        Assert.True(FeedMessageReader.TryRead(Encoding.UTF8.GetBytes(json), out var message, out var error), error.ToString());
        return message;
    }

    private static FeedReadError Fail(string json)
    {
        Assert.False(FeedMessageReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        return error;
    }

    [Fact]
    public void TryRead_Candle_DecodesTheSeedSample()
    {
        var m = Read(CandleFrame);
        Assert.Equal(FeedMessageType.Candle, m.Type);
        Assert.Equal(Symbol.GC, m.Symbol);
        Assert.Equal(Timeframe.OneMinute, m.Timeframe);
        Assert.Equal(Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000), m.Candle);
    }

    [Fact]
    public void TryRead_Tick_KeepsMillisecondTime()
    {
        var m = Read(TickFrame);
        Assert.Equal(FeedMessageType.Tick, m.Type);
        Assert.True(m.HasTime);
        Assert.Equal(new Tick(1704067201250, 2031.1, 2), m.Tick);
    }

    [Fact]
    public void TryRead_TickWithoutTime_IsStampedWithReceiveTime()
    {
        var m = Read("""{"type":"tick","symbol":"SI","price":25.125,"size":1}""");
        Assert.False(m.HasTime);
        var stamped = m.WithReceiveTime(1704067205000);
        Assert.Equal(new Tick(1704067205000, 25.125, 1, 1704067205000), stamped.Tick);
    }

    [Fact]
    public void TryRead_TickTimeInSeconds_BecomesMilliseconds() =>
        Assert.Equal(1704067201000, Read("""{"type":"tick","symbol":"GC","price":1,"size":1,"time":1704067201}""").Tick.EventTimeMs);

    [Fact]
    public void TryRead_History_DecodesCandlesInOrder()
    {
        var m = Read(HistoryFrame);
        Assert.Equal(FeedMessageType.HistoricalCandles, m.Type);
        Assert.Equal(Symbol.ES, m.Symbol);
        Assert.Equal(Timeframe.FiveMinutes, m.Timeframe);
        Assert.Equal([1704067200L, 1704067500L], m.Candles!.Select(c => c.OpenTime));
        Assert.Equal(0, m.RejectedCandles);
    }

    [Fact]
    public void TryRead_HistoryDataAlias_IsAccepted()
    {
        var m = Read(HistoryFrame.Replace("\"candles\"", "\"data\"", StringComparison.Ordinal));
        Assert.Equal(2, m.Candles!.Length);
    }

    [Fact]
    public void TryRead_HistoryWithBadCandles_KeepsTheGoodOnesAndCountsTheRest()
    {
        var m = Read("""
            {"type":"historical_candles","symbol":"GC","timeframe":"1m","candles":[
              {"time":1704067200000,"open":1,"high":1,"low":1,"close":1,"volume":1},
              {"time":1704067260000,"open":"1","high":1,"low":1,"close":1,"volume":1},
              {"time":1704067320000,"high":1,"low":1,"close":1,"volume":1},
              {"time":1704067380000,"open":-1,"high":1,"low":1,"close":1,"volume":1},
              42,
              {"time":1704067440000,"open":2,"high":2,"low":2,"close":2,"volume":2,"extra":{"nested":[1,2]}}
            ]}
            """);
        Assert.Equal([1704067200L, 1704067440L], m.Candles!.Select(c => c.OpenTime));
        Assert.Equal(4, m.RejectedCandles);
    }

    [Fact]
    public void TryRead_PropertiesInAnyOrder_AndUnknownPropertiesSkipped()
    {
        var m = Read("""{"data":{"volume":1,"close":2,"low":1,"high":3,"open":2,"time":1704067200000},"seq":9,"meta":{"a":[1,{"b":2}]},"timeframe":"15m","symbol":"CL","type":"candle"}""");
        Assert.Equal(Candle.Create(1704067200, 2, 3, 1, 2, 1), m.Candle);
        Assert.Equal(Timeframe.FifteenMinutes, m.Timeframe);
    }

    [Fact]
    public void TryRead_EscapedStrings_AreUnescaped()
    {
        var m = Read("""{"\u0074ype":"c\u0061ndle","symbol":"\u0047C","timeframe":"1\u006d","data":{"time":1704067200000,"open":1,"high":1,"low":1,"close":1,"volume":1}}""");
        Assert.Equal(Symbol.GC, m.Symbol);
        Assert.Equal(Timeframe.OneMinute, m.Timeframe);
    }

    [Fact]
    public void TryRead_GetHistory_WithAndWithoutBars()
    {
        Assert.Equal(2200, Read("""{"type":"get_history","symbol":"CL","timeframe":"4h","bars":2200}""").Bars);
        Assert.Equal(0, Read("""{"type":"get_history","symbol":"CL","timeframe":"4h"}""").Bars);
    }

    [Fact]
    public void TryRead_Error_KeepsTheText() =>
        Assert.Equal("unknown symbol \"XX\"", Read("""{"type":"error","message":"unknown symbol \"XX\""}""").Text);

    [Theory]
    [InlineData("", FeedRejection.MalformedJson, null)]
    [InlineData("{", FeedRejection.MalformedJson, null)]
    [InlineData("{\"type\":\"tick\",", FeedRejection.MalformedJson, null)]
    [InlineData("not json", FeedRejection.MalformedJson, null)]
    [InlineData("{\"type\":\"pong\"} trailing", FeedRejection.MalformedJson, null)]
    [InlineData("{\"type\":\"pong\"}{\"type\":\"pong\"}", FeedRejection.MalformedJson, null)]
    [InlineData("[1,2]", FeedRejection.NotAnObject, null)]
    [InlineData("\"pong\"", FeedRejection.NotAnObject, null)]
    [InlineData("{\"symbol\":\"GC\"}", FeedRejection.MissingType, "type")]
    [InlineData("{\"type\":\"heartbeat\"}", FeedRejection.UnknownType, "type")]
    [InlineData("{\"type\":42}", FeedRejection.WrongFieldType, "type")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"size\":1}", FeedRejection.MissingField, "price")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":\"2031.1\",\"size\":1}", FeedRejection.WrongFieldType, "price")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2031.1,\"size\":1,\"time\":\"now\"}", FeedRejection.WrongFieldType, "time")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"gc:1\",\"price\":2031.1,\"size\":1}", FeedRejection.InvalidSymbol, "symbol")]
    [InlineData("{\"type\":\"tick\",\"symbol\":7,\"price\":2031.1,\"size\":1}", FeedRejection.WrongFieldType, "symbol")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":-5,\"size\":1}", FeedRejection.InvalidTick, "price")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":5,\"size\":-1}", FeedRejection.InvalidTick, "size")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":5,\"size\":1,\"time\":-1}", FeedRejection.InvalidTick, "time")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"2m\",\"data\":{}}", FeedRejection.InvalidTimeframe, "timeframe")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"1m\"}", FeedRejection.MissingField, "data")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"data\":{\"time\":1704067200000,\"open\":1,\"high\":1,\"low\":1,\"close\":1}}", FeedRejection.MissingField, "volume")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"data\":{\"time\":1704067200000,\"open\":1,\"high\":true,\"low\":1,\"close\":1,\"volume\":1}}", FeedRejection.WrongFieldType, "high")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"data\":[1]}", FeedRejection.MissingField, "data")]
    [InlineData("{\"type\":\"historical_candles\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"candles\":{}}", FeedRejection.WrongFieldType, "candles")]
    [InlineData("{\"type\":\"historical_candles\",\"symbol\":\"GC\",\"timeframe\":\"1m\"}", FeedRejection.MissingField, "candles")]
    [InlineData("{\"type\":\"get_history\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"bars\":-5}", FeedRejection.WrongFieldType, "bars")]
    public void TryRead_BadFrame_IsRejectedWithReasonAndField(string json, FeedRejection reason, string? field)
    {
        var error = Fail(json);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void TryRead_InvalidCandleValues_ReportTheCandleRule()
    {
        var error = Fail("""{"type":"candle","symbol":"GC","timeframe":"1m","data":{"time":1704067200000,"open":0,"high":1,"low":1,"close":1,"volume":1}}""");
        Assert.Equal(FeedRejection.InvalidCandle, error.Reason);
        Assert.Equal(CandleRejection.NonPositivePrice, error.CandleRejection);
        Assert.Contains("NonPositivePrice", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_MalformedJson_ReportsBytePosition()
    {
        var error = Fail("""{"type":"tick","symbol":"GC","price":20x31}""");
        Assert.Equal(FeedRejection.MalformedJson, error.Reason);
        Assert.InRange(error.BytePosition, 37, 42);
    }

    [Fact]
    public void TryRead_InvalidUtf8_IsMalformedNotAnException()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"error","message":"xx"}""");
        bytes[27] = 0xFF;
        Assert.False(FeedMessageReader.TryRead(bytes, out _, out var error));
        Assert.Equal(FeedRejection.MalformedJson, error.Reason);
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void TryRead_EverySplit_GivesTheSameMessage(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(FeedMessageReader.TryRead(bytes, out var expected, out _));
        AssertSame(expected, Segments.OneByteSegments(bytes));
        for (var i = 1; i < bytes.Length; i++)
        {
            AssertSame(expected, Segments.Split(bytes, i));
            for (var j = i + 1; j < bytes.Length; j += 7)
            {
                AssertSame(expected, Segments.Split(bytes, i, j));
            }
        }
    }

    [Fact]
    public void TryRead_CandleAndTick_AllocateNothing()
    {
        var candle = Encoding.UTF8.GetBytes(CandleFrame);
        var tick = Encoding.UTF8.GetBytes(TickFrame);
        var segmented = Segments.Split(candle, 17, 60, 101);
        FeedMessageReader.TryRead(candle, out _, out _);
        FeedMessageReader.TryRead(tick, out _, out _);
        FeedMessageReader.TryRead(segmented, out _, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            FeedMessageReader.TryRead(candle, out _, out _);
            FeedMessageReader.TryRead(tick, out _, out _);
            FeedMessageReader.TryRead(segmented, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertSame(in FeedMessage expected, ReadOnlySequence<byte> sequence)
    {
        Assert.True(FeedMessageReader.TryRead(sequence, out var actual, out var error), error.ToString());
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Symbol, actual.Symbol);
        Assert.Equal(expected.Timeframe, actual.Timeframe);
        Assert.Equal(expected.Candle, actual.Candle);
        Assert.Equal(expected.Tick, actual.Tick);
        Assert.Equal(expected.Bars, actual.Bars);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Candles ?? [], actual.Candles ?? []);
    }

    [Theory]
    [InlineData("""{"type":"historical_candles","symbol":"GC","timeframe":"5m","data":[{"time":1,broken""", true)]
    [InlineData("""{"data":[{"time":1,"open":1}],"timeframe":"5m","symbol":"GC","type":"historical_candles"}""", true)]
    [InlineData("""{"symbol":"G\u0043","type":"historical_candles","timeframe":"5m"}""", true)]
    [InlineData("""{"type":"historical_candles","symbol":"GC","data":[]}""", false)]
    [InlineData("""{"type":"historical_candles","symbol":7,"timeframe":"5m"}""", false)]
    [InlineData("""[{"type":"historical_candles"}]""", false)]
    [InlineData("""{"type":"historical_candles","symbol":"GC","data":[{""", false)]
    public void TryPeekSeries_ReadsTheHeaderOnly_StoppingOnceItHasIt(string json, bool expected)
    {
        Assert.Equal(expected, FeedMessageReader.TryPeekSeries(Encoding.UTF8.GetBytes(json), out var type, out var symbol, out var timeframe));
        if (expected)
        {
            Assert.Equal((FeedMessageType.HistoricalCandles, Symbol.GC, Timeframe.FiveMinutes), (type, symbol, timeframe));
        }
    }
}
