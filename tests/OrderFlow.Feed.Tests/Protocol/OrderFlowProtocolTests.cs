using System.Buffers;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

/// <summary>
/// Order flow on the wire: <c>buyVolume</c>/<c>sellVolume</c>/<c>delta</c> on candle objects and <c>side</c> on ticks,
/// optional both ways; read the same by the fast path, the general path and any segmentation.
/// </summary>
public class OrderFlowProtocolTests
{
    private const string Head = """{"type":"candle","symbol":"GC","timeframe":"1m","data":{"time":1704067200000,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15000""";

    private const string FlowCandleFrame = Head + ""","buyVolume":9000,"sellVolume":5000.5,"delta":3999.5}}""";

    private const string SidedTickFrame = """{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250,"side":"B"}""";

    private static readonly Candle Plain = Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000);

    private static readonly Candle Flow = Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000, 9000, 5000.5);

    public static TheoryData<string> FlowFrames => new()
    {
        FlowCandleFrame,
        SidedTickFrame,
        """{"type":"tick","symbol":"NQ","price":17500.25,"size":3,"side":"A"}""",
        """{"type":"historical_candles","symbol":"ES","timeframe":"5m","candles":[{"time":1704067200000,"open":4770.25,"high":4771,"low":4769.5,"close":4770.75,"volume":1200,"buyVolume":700,"sellVolume":500,"delta":200},{"time":1704067500000,"open":4770.75,"high":4772,"low":4770,"close":4771.5,"volume":900}]}""",
    };

    /// <summary>Reads a frame through the fast path, the general path and a three-segment sequence; all must agree.</summary>
    private static FeedMessage ReadBoth(string json, bool expectCanonical = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.Equal(expectCanonical, FeedMessageReader.IsCanonical(bytes));
        Assert.True(FeedMessageReader.TryRead(bytes, out var fast, out var error), error.ToString());
        Assert.True(FeedMessageReader.TryReadGeneral(bytes, out var general, out error), error.ToString());
        Assert.True(FeedMessageReader.TryRead(Segments.Split(bytes, 11, bytes.Length / 2, bytes.Length - 3), out var segmented, out error), error.ToString());
        foreach (var other in new[] { general, segmented })
        {
            Assert.Equal(fast.Type, other.Type);
            Assert.Equal(fast.Candle, other.Candle);
            Assert.Equal(fast.Tick, other.Tick);
            Assert.Equal(fast.Candles ?? [], other.Candles ?? []);
            Assert.Equal(fast.RejectedCandles, other.RejectedCandles);
        }

        return fast;
    }

    /// <summary>Rejects a frame on both paths with the same error.</summary>
    private static FeedReadError FailBoth(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.False(FeedMessageReader.TryRead(bytes, out _, out var fast));
        Assert.False(FeedMessageReader.TryReadGeneral(bytes, out _, out var general));
        Assert.Equal(general, fast);
        Assert.False(FeedMessageReader.TryRead(Segments.Split(bytes, 9, bytes.Length - 5), out _, out var segmented));
        Assert.Equal(general, segmented);
        return fast;
    }

    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void TryRead_CandleWithFlow_ReadsBuyAndSellVolume()
    {
        var m = ReadBoth(FlowCandleFrame);
        Assert.Equal(Flow, m.Candle);
        Assert.Equal(9000, m.Candle.BuyVolume);
        Assert.Equal(5000.5, m.Candle.SellVolume);
        Assert.Equal(3999.5, m.Candle.Delta);
        Assert.True(m.Candle.HasFlow);
    }

    [Fact]
    public void TryRead_OldCandleFrame_HasNoFlow()
    {
        var m = ReadBoth(Head + "}}");
        Assert.Equal(Plain, m.Candle);
        Assert.False(m.Candle.HasFlow);
        Assert.Equal(15000, m.Candle.UnknownVolume);
    }

    [Theory]
    [InlineData(""","buyVolume":9000}}""", 9000, 0)]
    [InlineData(""","sellVolume":5000}}""", 0, 5000)]
    [InlineData(""","sellVolume":5000,"buyVolume":9000}}""", 9000, 5000)]
    [InlineData(""","buyVolume":1,"buyVolume":9000,"sellVolume":5000}}""", 9000, 5000)]
    [InlineData(""","buyVolume":0,"sellVolume":0,"delta":0}}""", 0, 0)]
    [InlineData(""","buyVolume":7500,"sellVolume":7500}}""", 7500, 7500)]
    public void TryRead_PartialOrReorderedFlow_StaysOnTheFastPath(string tail, double buy, double sell)
    {
        var m = ReadBoth(Head + tail);
        Assert.Equal(buy, m.Candle.BuyVolume);
        Assert.Equal(sell, m.Candle.SellVolume);
    }

    [Theory]
    [InlineData(""","buyVolume":9000,"sellVolume":5000,"delta":-77}}""")]
    [InlineData(""","buyVolume":9000,"sellVolume":5000,"delta":"n/a"}}""")]
    [InlineData(""","delta":4000,"buyVolume":9000,"sellVolume":5000}}""")]
    public void TryRead_Delta_IsIgnored(string tail) =>
        Assert.Equal(Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000, 9000, 5000), ReadBoth(Head + tail).Candle);

    [Fact]
    public void TryRead_DeltaOfAnotherJsonType_IsSkippedByTheGeneralPath() =>
        Assert.Equal(Flow, ReadBoth(Head + ""","buyVolume":9000,"sellVolume":5000.5,"delta":{"x":[1]}}}""", expectCanonical: false).Candle);

    [Theory]
    [InlineData(""","buyVolume":9000,"sellVolume":6001}}""")]
    [InlineData(""","buyVolume":15000.5}}""")]
    [InlineData(""","buyVolume":-1,"sellVolume":5}}""")]
    [InlineData(""","sellVolume":-0.25}}""")]
    public void TryRead_InconsistentFlow_IsAnInvalidCandle(string tail)
    {
        var error = FailBoth(Head + tail);
        Assert.Equal(FeedRejection.InvalidCandle, error.Reason);
        Assert.Equal("data", error.Field);
        Assert.Equal(CandleRejection.InvalidVolume, error.CandleRejection);
    }

    [Theory]
    [InlineData(""","buyVolume":"9000"}}""", "buyVolume")]
    [InlineData(""","buyVolume":9000,"sellVolume":null}}""", "sellVolume")]
    [InlineData(""","sellVolume":true}}""", "sellVolume")]
    [InlineData(""","buyVolume":[1]}}""", "buyVolume")]
    public void TryRead_NonNumericFlow_IsAWrongFieldType(string tail, string field)
    {
        var error = FailBoth(Head + tail);
        Assert.Equal(FeedRejection.WrongFieldType, error.Reason);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void TryRead_HistoryWithBadFlow_KeepsTheGoodCandlesAndCountsTheRest()
    {
        var m = ReadBoth("""
            {"type":"historical_candles","symbol":"GC","timeframe":"1m","candles":[
              {"time":1704067200000,"open":1,"high":1,"low":1,"close":1,"volume":10,"buyVolume":6,"sellVolume":4,"delta":2},
              {"time":1704067260000,"open":1,"high":1,"low":1,"close":1,"volume":10,"buyVolume":6,"sellVolume":5},
              {"time":1704067320000,"open":1,"high":1,"low":1,"close":1,"volume":10,"buyVolume":-1},
              {"time":1704067380000,"open":1,"high":1,"low":1,"close":1,"volume":10},
              {"time":1704067440000,"open":1,"high":1,"low":1,"close":1,"volume":10,"sellVolume":10}
            ]}
            """);
        Assert.Equal([1704067200L, 1704067380L, 1704067440L], m.Candles!.Select(c => c.OpenTime));
        Assert.Equal([2.0, 0, -10], m.Candles!.Select(c => c.Delta));
        Assert.Equal(2, m.RejectedCandles);

        // A non-numeric flow field leaves the fast path; the general path drops that candle alone.
        var general = ReadBoth("""{"type":"historical_candles","symbol":"GC","timeframe":"1m","candles":[{"time":1704067200000,"open":1,"high":1,"low":1,"close":1,"volume":10,"buyVolume":"6"},{"time":1704067260000,"open":1,"high":1,"low":1,"close":1,"volume":10,"buyVolume":6}]}""", expectCanonical: false);
        Assert.Equal(6, Assert.Single(general.Candles!).BuyVolume);
        Assert.Equal(1, general.RejectedCandles);
    }

    [Theory]
    [InlineData("B", AggressorSide.Buy)]
    [InlineData("A", AggressorSide.Sell)]
    [InlineData("N", AggressorSide.Unknown)]
    public void TryRead_TickSide_IsDatabentosLetter(string side, AggressorSide expected)
    {
        var m = ReadBoth($$"""{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250,"side":"{{side}}"}""");
        Assert.Equal(new Tick(1704067201250, 2031.1, 2) { Side = expected }, m.Tick);

        var first = ReadBoth($$"""{"side":"{{side}}","type":"tick","symbol":"GC","price":2031.1,"size":2}""");
        Assert.Equal(expected, first.Tick.Side);
    }

    [Fact]
    public void TryRead_OldTickFrame_HasNoSide() =>
        Assert.Equal(AggressorSide.Unknown, ReadBoth("""{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250}""").Tick.Side);

    [Fact]
    public void TryRead_EscapedSide_IsReadByTheGeneralPath() =>
        Assert.Equal(AggressorSide.Buy, ReadBoth("""{"type":"tick","symbol":"GC","price":2031.1,"size":2,"side":"\u0042"}""", expectCanonical: false).Tick.Side);

    [Theory]
    [InlineData("\"X\"", FeedRejection.InvalidSide)]
    [InlineData("\"b\"", FeedRejection.InvalidSide)]
    [InlineData("\"\"", FeedRejection.InvalidSide)]
    [InlineData("\"BUY\"", FeedRejection.InvalidSide)]
    [InlineData("\"\\u0058\"", FeedRejection.InvalidSide)]
    [InlineData("1", FeedRejection.WrongFieldType)]
    [InlineData("null", FeedRejection.WrongFieldType)]
    [InlineData("[\"B\"]", FeedRejection.WrongFieldType)]
    public void TryRead_UnknownSide_RejectsTheTick(string side, FeedRejection reason)
    {
        var json = """{"type":"tick","symbol":"GC","price":2031.1,"size":2,"side":""" + side + "}";
        var error = FailBoth(json);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("side", error.Field);
        Assert.Equal(json.IndexOf("\"side\":", StringComparison.Ordinal) + 7, error.BytePosition);
    }

    [Fact]
    public void TryRead_BadSide_ComesAfterOtherFieldFaultsAndBeforeMissingFields()
    {
        const string WrongPrice = """{"type":"tick","symbol":"GC","side":"X","price":"1","size":2}""";
        Assert.Equal(new FeedReadError(FeedRejection.WrongFieldType, "price", WrongPrice.IndexOf("\"1\"", StringComparison.Ordinal)), FailBoth(WrongPrice));
        Assert.Equal(FeedRejection.InvalidSide, FailBoth("""{"type":"tick","symbol":"GC","side":"X"}""").Reason);
        Assert.Equal(FeedRejection.InvalidSide, FailBoth("""{"type":"tick","symbol":"GC","price":1,"size":2,"side":"X","side":"B"}""").Reason);
    }

    [Fact]
    public void TryRead_SideOnOtherMessages_IsSkipped()
    {
        Assert.Equal(Plain, ReadBoth(Head + """},"side":"X" }""", expectCanonical: false).Candle);
        Assert.Equal(Plain, ReadBoth(Head + """},"side":"B"}""").Candle);
    }

    [Fact]
    public void WithReceiveTime_KeepsTheSide()
    {
        var m = ReadBoth("""{"type":"tick","symbol":"GC","price":2031.1,"size":2,"side":"A"}""");
        Assert.False(m.HasTime);
        Assert.Equal(new Tick(1704067205000, 2031.1, 2) { Side = AggressorSide.Sell }, m.WithReceiveTime(1704067205000).Tick);
        var timed = ReadBoth(SidedTickFrame);
        Assert.Equal(AggressorSide.Buy, timed.WithReceiveTime(1704067205000).Tick.Side);
    }

    [Fact]
    public void WriteCandle_WithFlow_PutsBuySellAndDeltaAfterVolume()
    {
        var json = Write(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, Flow));
        Assert.Equal(FlowCandleFrame, json);
        Assert.Equal(Flow, ReadBoth(json).Candle);
    }

    [Fact]
    public void WriteCandle_WithoutFlow_IsUnchanged() =>
        Assert.Equal(Head + "}}", Write(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, Plain)));

    [Fact]
    public void WriteCandle_OneSidedFlow_RoundTrips()
    {
        var sellOnly = Plain.WithFlow(0, 15000);
        var json = Write(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, sellOnly));
        Assert.EndsWith(""","volume":15000,"buyVolume":0,"sellVolume":15000,"delta":-15000}}""", json, StringComparison.Ordinal);
        Assert.Equal(sellOnly, ReadBoth(json).Candle);
    }

    [Theory]
    [InlineData(AggressorSide.Buy, ""","side":"B"}""")]
    [InlineData(AggressorSide.Sell, ""","side":"A"}""")]
    [InlineData(AggressorSide.Unknown, ""","time":1704067201250}""")]
    public void WriteTick_WritesTheSideOnlyWhenKnown(AggressorSide side, string ending)
    {
        var tick = new Tick(1704067201250, 2031.1, 2) { Side = side };
        var json = Write(b => FeedMessageWriter.WriteTick(b, Symbol.GC, tick));
        Assert.EndsWith(ending, json, StringComparison.Ordinal);
        Assert.Equal(tick, ReadBoth(json).Tick);

        var noTime = ReadBoth(Write(b => FeedMessageWriter.WriteTick(b, Symbol.GC, tick, includeTime: false)));
        Assert.Equal(side, noTime.Tick.Side);
    }

    [Fact]
    public void WriteTick_WithoutSide_IsUnchanged() =>
        Assert.Equal(
            """{"type":"tick","symbol":"GC","price":2031.1,"size":2,"time":1704067201250}""",
            Write(b => FeedMessageWriter.WriteTick(b, Symbol.GC, new Tick(1704067201250, 2031.1, 2))));

    [Fact]
    public void WriteHistory_MixedFlow_RoundTripsOnBothPaths()
    {
        var candles = Enumerable.Range(0, 500)
            .Select(i => Candle.Create(1704067200 + (i * 60), 2000 + (i * 0.1), 2001 + (i * 0.1), 1999 + (i * 0.1), 2000.5 + (i * 0.1), 10 + i))
            .Select((c, i) => i % 3 == 0 ? c : c.WithFlow(i % 7 * 0.5, Math.Min(i % 5, c.Volume - (i % 7 * 0.5))))
            .ToArray();
        Assert.Contains(candles, c => !c.HasFlow);
        Assert.Contains(candles, c => c.HasFlow);
        var json = Write(b => FeedMessageWriter.WriteHistory(b, Symbol.CL, Timeframe.OneMinute, candles));
        var m = ReadBoth(json);
        Assert.Equal(candles, m.Candles);
        Assert.Equal(0, m.RejectedCandles);
    }

    [Theory]
    [MemberData(nameof(FlowFrames))]
    public void TryRead_FlowFrames_EverySplitGivesTheSameMessage(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(FeedMessageReader.IsCanonical(bytes));
        Assert.True(FeedMessageReader.TryRead(bytes, out var expected, out _));
        for (var i = 1; i < bytes.Length; i++)
        {
            Assert.True(FeedMessageReader.TryRead(Segments.Split(bytes, i), out var actual, out var error), error.ToString());
            Assert.Equal(expected.Candle, actual.Candle);
            Assert.Equal(expected.Tick, actual.Tick);
            Assert.Equal(expected.Candles ?? [], actual.Candles ?? []);
        }
    }

    [Fact]
    public void TryRead_FlowCandleAndSidedTick_AllocateNothing()
    {
        var candle = Encoding.UTF8.GetBytes(FlowCandleFrame);
        var tick = Encoding.UTF8.GetBytes(SidedTickFrame);
        Assert.True(FeedMessageReader.IsCanonical(candle));
        Assert.True(FeedMessageReader.IsCanonical(tick));
        var segmented = Segments.Split(candle, 17, 60, 160);
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
}
