using System.Buffers;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

/// <summary>
/// The reader's fast path (a scanner for the canonical shape of candle, tick and history frames) decodes every frame
/// exactly as the general <see cref="System.Text.Json.Utf8JsonReader"/> path does: the same verdict, message and
/// error, for canonical frames and for frames just outside the subset (escapes, exponents, wrong types, bad
/// syntax, truncation), from a span and from any segmentation.
/// </summary>
public class CanonicalPathProperties
{
    private const int Cases = 2000;

    private static readonly string[] Types = ["candle", "tick", "historical_candles", "pong", "error", "get_history", "bogus", "Candle"];

    private static readonly string[] Symbols = ["GC", "SI", "ES", "NQ", "CL", "ZN", "gc", "G C", "", "TOOLONGSYMBOL_ABCDEFGHIJ"];

    private static readonly string[] Timeframes = ["1m", "5m", "15m", "1h", "4h", "1d", "2m", "", "1M"];

    public static Arbitrary<(string Frame, int[] Cuts)> Frames() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from cutCount in Gen.Choose(0, 6)
         from cuts in Gen.ArrayOf(Gen.Choose(1, 4000), cutCount)
         select (BuildFrame(seed % 2 == 0 ? new Random(seed) : new NoisyRandom(seed)), cuts)).ToArbitrary();

    [Property(MaxTest = Cases, Arbitrary = [typeof(CanonicalPathProperties)])]
    public void FastPath_DecodesLikeTheGeneralPath((string Frame, int[] Cuts) input)
    {
        var bytes = Encoding.UTF8.GetBytes(input.Frame);
        var general = FeedMessageReader.TryReadGeneral(bytes, out var expected, out var expectedError);

        var fast = FeedMessageReader.TryRead(bytes, out var message, out var error);
        AssertSame(general, expected, expectedError, fast, message, error);

        var segmented = FeedMessageReader.TryRead(Segments.Split(bytes, input.Cuts), out message, out error);
        AssertSame(general, expected, expectedError, segmented, message, error);
    }

    [Fact]
    public void TheGenerator_CoversBothPaths()
    {
        // The property above is only as good as its frames: many must take the fast path and decode, many must not.
        int canonicalValid = 0, canonicalInvalid = 0, general = 0;
        int fastFlow = 0, fastSided = 0, badFlow = 0, badSide = 0;
        for (var seed = 0; seed < 2000; seed++)
        {
            var bytes = Encoding.UTF8.GetBytes(BuildFrame(seed % 2 == 0 ? new Random(seed) : new NoisyRandom(seed)));
            if (!FeedMessageReader.IsCanonical(bytes))
            {
                general++;
            }
            else if (FeedMessageReader.TryRead(bytes, out var message, out _))
            {
                canonicalValid++;
                fastFlow += message.Candle.HasFlow || (message.Candles?.Any(c => c.HasFlow) ?? false) ? 1 : 0;
                fastSided += message.Tick.Side != AggressorSide.Unknown ? 1 : 0;
            }
            else
            {
                canonicalInvalid++;
            }

            if (!FeedMessageReader.TryRead(bytes, out var m, out var error))
            {
                badSide += error.Reason == FeedRejection.InvalidSide ? 1 : 0;
                badFlow += error.CandleRejection == CandleRejection.InvalidVolume ? 1 : 0;
            }
            else
            {
                badFlow += m.RejectedCandles > 0 ? 1 : 0;
            }
        }

        Assert.True(canonicalValid > 300 && general > 300 && canonicalInvalid > 50, $"fast and valid {canonicalValid}, fast and invalid {canonicalInvalid}, general {general}");
        Assert.True(fastFlow > 100 && fastSided > 100 && badFlow > 30 && badSide > 10, $"fast with flow {fastFlow}, fast with a side {fastSided}, bad flow {badFlow}, bad side {badSide}");
    }

    [Fact]
    public void FramesFromTheWriter_TakeTheFastPath()
    {
        var candle = Candle.Create(1_704_067_200, 2030.5, 2031.2, 2030.1, 2031.0, 15000);
        var buffer = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteCandle(buffer, Symbol.GC, Timeframe.OneMinute, candle);
        Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan), Encoding.UTF8.GetString(buffer.WrittenSpan));

        buffer.ResetWrittenCount();
        FeedMessageWriter.WriteTick(buffer, Symbol.NQ, new Tick(1_704_067_201_250, 17_500.25, 3));
        Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan), Encoding.UTF8.GetString(buffer.WrittenSpan));

        buffer.ResetWrittenCount();
        // Prices as float arithmetic prints them (2031.1999999999998: 17 significant digits) stay on the fast path.
        var history = Enumerable.Range(0, 1000).Select(i => Math.Round(2000 + (i * 0.1), 1)).Select((p, i) => Candle.Create(1_704_067_200 + (i * 60), p, p + 0.7, p - 0.4, p + 0.2, 10 + i)).ToArray();
        Assert.Contains(history, c => c.High.ToString("R", CultureInfo.InvariantCulture).Length > 16);
        FeedMessageWriter.WriteHistory(buffer, Symbol.CL, Timeframe.OneMinute, history);
        Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan));
        Assert.True(FeedMessageReader.TryRead(Segments.Split(buffer.WrittenSpan, 7, 4000, 20000), out var message, out _));
        Assert.Equal(history, message.Candles);
    }

    [Fact]
    public void FramesFromTheWriter_WithOrderFlow_TakeTheFastPath()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var candle = Candle.Create(1_704_067_200, 2030.5, 2031.2, 2030.1, 2031.0, 15000, 9000.5, 5000);
        FeedMessageWriter.WriteCandle(buffer, Symbol.GC, Timeframe.OneMinute, candle);
        Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan), Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.True(FeedMessageReader.TryRead(buffer.WrittenSpan, out var message, out _));
        Assert.Equal(candle, message.Candle);

        foreach (var side in new[] { AggressorSide.Buy, AggressorSide.Sell })
        {
            buffer.ResetWrittenCount();
            var tick = new Tick(1_704_067_201_250, 17_500.25, 3) { Side = side };
            FeedMessageWriter.WriteTick(buffer, Symbol.NQ, tick);
            Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan), Encoding.UTF8.GetString(buffer.WrittenSpan));
            Assert.True(FeedMessageReader.TryRead(buffer.WrittenSpan, out message, out _));
            Assert.Equal(tick, message.Tick);
        }

        buffer.ResetWrittenCount();
        var history = Enumerable.Range(0, 1000).Select(i => Math.Round(2000 + (i * 0.1), 1))
            .Select((p, i) => Candle.Create(1_704_067_200 + (i * 60), p, p + 0.7, p - 0.4, p + 0.2, 10 + i, i % 4 == 0 ? 0 : (i % 9) + 0.5, i % 3))
            .ToArray();
        Assert.Contains(history, c => c.HasFlow);
        Assert.Contains(history, c => !c.HasFlow);
        FeedMessageWriter.WriteHistory(buffer, Symbol.CL, Timeframe.OneMinute, history);
        Assert.True(FeedMessageReader.IsCanonical(buffer.WrittenSpan));
        Assert.True(FeedMessageReader.TryRead(Segments.Split(buffer.WrittenSpan, 7, 4000, 20000), out message, out _));
        Assert.Equal(history, message.Candles);
    }

    [Theory]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2500,\"size\":1,\"side\":\"S\"}")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2500,\"size\":1,\"side\":2}")]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"GC\",\"timeframe\":\"1m\",\"data\":{\"time\":1,\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1,\"buyVolume\":\"1\"}}")]
    public void FlowFieldsOutsideTheSubset_TakeTheGeneralPath(string frame) =>
        Assert.False(FeedMessageReader.IsCanonical(Encoding.UTF8.GetBytes(frame)));

    [Theory]
    [InlineData("{\"type\":\"candle\",\"symbol\":\"G\\u0043\",\"timeframe\":\"1m\",\"data\":{\"time\":1,\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1}}")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2.5e3,\"size\":1}")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2500,\"size\":1,\"flag\":true}")]
    [InlineData("{\"type\":\"error\",\"message\":\"x\"}")]
    [InlineData("{\"type\":\"tick\",\"symbol\":\"GC\",\"price\":2500,\"size\":1} x")]
    public void FramesOutsideTheSubset_TakeTheGeneralPath(string frame) =>
        Assert.False(FeedMessageReader.IsCanonical(Encoding.UTF8.GetBytes(frame)));

    private static void AssertSame(bool expectedOk, FeedMessage expected, FeedReadError expectedError, bool ok, FeedMessage actual, FeedReadError error)
    {
        Assert.Equal(expectedOk, ok);
        Assert.Equal(expectedError, error);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Symbol, actual.Symbol);
        Assert.Equal(expected.Timeframe, actual.Timeframe);
        Assert.Equal(expected.Candle, actual.Candle);
        Assert.Equal(expected.Tick, actual.Tick);
        Assert.Equal(expected.HasTime, actual.HasTime);
        Assert.Equal(expected.Bars, actual.Bars);
        Assert.Equal(expected.Candles, actual.Candles);
        Assert.Equal(expected.RejectedCandles, actual.RejectedCandles);
        Assert.Equal(expected.Text, actual.Text);
    }

    private static string BuildFrame(Random rng)
    {
        var members = new List<string>();
        var kind = rng.Next(rng is NoisyRandom ? 6 : 3);
        if (!Noise(rng, 10))
        {
            var type = rng is NoisyRandom ? Pick(rng, Types) : Types[kind == 1 ? 2 : kind == 2 ? 1 : 0];
            members.Add(Member(rng, "type", Noise(rng, 8) ? AnyValue(rng) : Str(rng, type)));
        }

        if (!Noise(rng, 8))
        {
            members.Add(Member(rng, "symbol", Noise(rng, 10) ? AnyValue(rng) : Str(rng, Noise(rng, 3) ? Pick(rng, Symbols) : Pick(rng, Symbols[..5]))));
        }

        if (!Noise(rng, 6))
        {
            members.Add(Member(rng, "timeframe", Noise(rng, 10) ? AnyValue(rng) : Str(rng, Noise(rng, 3) ? Pick(rng, Timeframes) : Pick(rng, Timeframes[..6]))));
        }

        switch (kind)
        {
            case 0:
                members.Add(Member(rng, "data", CandleObject(rng)));
                break;
            case 1:
                members.Add(Member(rng, rng.Next(2) == 0 ? "candles" : "data", CandleArray(rng)));
                break;
            case 2:
                members.Add(Member(rng, "price", Number(rng)));
                members.Add(Member(rng, "size", Number(rng)));
                if (rng.Next(2) == 0)
                {
                    members.Add(Member(rng, "time", Time(rng)));
                }

                if (rng.Next(2) == 0)
                {
                    members.Add(Member(rng, "side", Side(rng)));
                }

                break;
            case 3:
                members.Add(Member(rng, "bars", Number(rng)));
                break;
            case 4:
                members.Add(Member(rng, "message", Str(rng, "no data")));
                break;
        }

        if (Noise(rng, 5))
        {
            members.Add(Member(rng, Pick(rng, ["extra", "seq", "candles", "price", "side"]), Noise(rng, 2) ? Side(rng) : AnyValue(rng)));
        }

        Shuffle(rng, members);
        var frame = Ws(rng) + "{" + Ws(rng) + string.Join("," + Ws(rng), members) + Ws(rng) + "}" + Ws(rng);
        return (Noise(rng, 1) ? rng.Next(12) : 99) switch
        {
            0 => frame[..rng.Next(frame.Length)],
            1 => Mutate(rng, frame),
            2 => frame + Pick(rng, ["x", "{}", ",", "]"]),
            _ => frame,
        };
    }

    private static string CandleArray(Random rng)
    {
        var count = rng.Next(12);
        var items = new List<string>();
        for (var i = 0; i < count; i++)
        {
            items.Add(Noise(rng, 25) ? AnyValue(rng) : CandleObject(rng));
        }

        return "[" + Ws(rng) + string.Join("," + Ws(rng), items) + Ws(rng) + "]";
    }

    private static string CandleObject(Random rng)
    {
        var time = 1_704_067_200L + (rng.Next(100_000) * 60);
        var open = Price(rng);
        var close = Price(rng);
        var high = Math.Max(open, close) + (rng.Next(4) * 0.25);
        var low = Math.Min(open, close) - (rng.Next(4) * 0.25);
        if (rng.Next(15) == 0)
        {
            (high, low) = (low, high);
        }

        var volume = rng.Next(5000);
        var fields = new List<string>
        {
            Member(rng, "time", Noise(rng, 20) ? AnyValue(rng) : rng.Next(2) == 0 ? (time * 1000).ToString(CultureInfo.InvariantCulture) : time.ToString(CultureInfo.InvariantCulture)),
            Member(rng, "open", Fmt(open)),
            Member(rng, "high", Fmt(high)),
            Member(rng, "low", Fmt(low)),
            Member(rng, "close", Noise(rng, 20) ? AnyValue(rng) : Fmt(close)),
            Member(rng, "volume", Noise(rng, 20) ? Number(rng) : volume.ToString(CultureInfo.InvariantCulture)),
        };

        // Order flow in half the candles, as the writer puts it (buyVolume, sellVolume, delta after volume) or with
        // one of them left out; now and then inconsistent (more than the volume, negative) or of the wrong type.
        if (rng.Next(2) == 0)
        {
            var buy = rng.Next(volume + 1) * (rng.Next(4) == 0 ? 0.5 : 1);
            var sell = (rng.Next((int)(volume - buy) + 1) * (rng.Next(4) == 0 ? 0.25 : 1)) + (rng.Next(12) == 0 ? volume + 1 : 0);
            if (rng.Next(15) == 0)
            {
                buy = -1 - buy;
            }

            if (rng.Next(8) != 0)
            {
                fields.Add(Member(rng, "buyVolume", Noise(rng, 15) ? AnyValue(rng) : Fmt(buy)));
            }

            if (rng.Next(8) != 0)
            {
                fields.Add(Member(rng, "sellVolume", Noise(rng, 15) ? AnyValue(rng) : Fmt(sell)));
            }

            if (rng.Next(3) != 0)
            {
                fields.Add(Member(rng, "delta", Noise(rng, 10) ? AnyValue(rng) : Fmt(rng.Next(10) == 0 ? 12345 : buy - sell)));
            }
        }

        if (Noise(rng, 15))
        {
            fields.RemoveAt(rng.Next(fields.Count));
        }

        if (Noise(rng, 10))
        {
            fields.Add(Member(rng, Pick(rng, ["delta", "open", "n", "low", "buyVolume", "sellVolume"]), Noise(rng, 1) ? AnyValue(rng) : "1.5"));
        }

        // The writer's order in half the candles (the scanner's literal match), any order in the others.
        if (rng.Next(2) == 0)
        {
            Shuffle(rng, fields);
        }
        return "{" + Ws(rng) + string.Join("," + Ws(rng), fields) + Ws(rng) + "}";
    }

    private static double Price(Random rng) => 2000 + (rng.Next(40_000) * 0.05);

    private static string Fmt(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Time(Random rng) => !Noise(rng, 1) ? "1704067201250" : Pick(rng, ["1704067201250", "1704067201", "1704067201250.0", "-5", "0", "1e12", "170406720125000000000", "\"1704067201250\""]);

    /// <summary>Databento's side letters mostly; now and then another string, or (noisy frames) any JSON value.</summary>
    private static string Side(Random rng) => Noise(rng, 8) ? AnyValue(rng) : Str(rng, rng.Next(10) == 0 ? Pick(rng, ["X", "b", "", "BA", "S", "n"]) : Pick(rng, ["B", "A", "N"]));

    private static string Number(Random rng) => !Noise(rng, 1) ? Pick(rng, ["2031.1", "2", "0.25", "17500"]) : Pick(rng, ["2031.1", "2", "0", "-0", "-2.5", "1e3", "1E+15", "0.1000000000000000055511", "12345678901234567", "01", "1.", ".5", "-", "2031.10", "1000000000000000"]);

    private static string AnyValue(Random rng) => Pick(rng, ["true", "false", "null", "\"s\"", "\"\\u0041\"", "{}", "[]", "[1,2]", "{\"a\":1}", "1", "-1.5", "1e5", "\"caf\u00e9\""]);

    private static string Str(Random rng, string value) => Noise(rng, 30) && value.Length > 0 ? "\"\\u" + ((int)value[0]).ToString("X4", CultureInfo.InvariantCulture) + value[1..] + "\"" : "\"" + value + "\"";

    private static string Member(Random rng, string name, string value) => Str(rng, name) + Ws(rng) + ":" + Ws(rng) + value;

    private static string Ws(Random rng) => rng.Next(6) == 0 ? Pick(rng, [" ", "\n", "\r\n  ", "\t"]) : string.Empty;

    private static string Mutate(Random rng, string frame)
    {
        var chars = frame.ToCharArray();
        chars[rng.Next(chars.Length)] = Pick(rng, ["\"", "{", "}", ",", ":", "x", "9", ".", "\\", "e"])[0];
        return new string(chars);
    }

    /// <summary>Half the frames are clean (canonical unless the values are invalid); in the others each fault has a 1 in <paramref name="oneIn"/> chance.</summary>
    private static bool Noise(Random rng, int oneIn) => rng is NoisyRandom && rng.Next(oneIn) == 0;

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static void Shuffle<T>(Random rng, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private sealed class NoisyRandom(int seed) : Random(seed);
}
