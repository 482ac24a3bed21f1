using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// Decodes one feed protocol frame (a UTF-8 JSON object) straight into a <see cref="FeedMessage"/>, from a span or
/// from a possibly multi-segment <see cref="ReadOnlySequence{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Properties may come in any order; unknown properties are skipped; the last of duplicated properties wins. Times
/// are milliseconds, or seconds when below 1e11. Candle and tick messages decode without allocating (the symbols
/// GC, SI, CL, ES and NQ are interned; another symbol allocates its string). A <c>historical_candles</c> message
/// allocates its candle array; its invalid candles are left out and counted in
/// <see cref="FeedMessage.RejectedCandles"/>, the rest are kept.
/// </para>
/// <para>
/// <b>Order flow</b> (optional, so frames without it read as they always have): a candle object may carry
/// <c>buyVolume</c> and <c>sellVolume</c> numbers (0 when absent), validated with the candle
/// (<see cref="RawCandle.TryValidate"/>: not negative and <c>buyVolume + sellVolume ≤ volume</c>, else
/// <see cref="CandleRejection.InvalidVolume"/>), and a <c>delta</c>, which is redundant and skipped. A <c>tick</c>
/// may carry a <c>side</c> string, Databento's convention: <c>"B"</c> a buy aggressor
/// (<see cref="Candles.Flow.AggressorSide.Buy"/>), <c>"A"</c> a sell aggressor
/// (<see cref="Candles.Flow.AggressorSide.Sell"/>), <c>"N"</c> none (<see cref="Candles.Flow.AggressorSide.Unknown"/>,
/// as when absent). Any other string rejects the tick with <see cref="FeedRejection.InvalidSide"/>, a non-string with
/// <see cref="FeedRejection.WrongFieldType"/> (after any other field's fault); other message types skip <c>side</c>.
/// </para>
/// <para>
/// Nothing throws for bad input: a bad frame returns <see langword="false"/> with a <see cref="FeedReadError"/> that
/// names the fault, the property and the byte position.
/// </para>
/// </remarks>
public static partial class FeedMessageReader
{
    private const int MaxSymbolBytes = 64;
    private const int MaxNumberBytes = 64;

    /// <summary>
    /// The candle fields every candle object must have, as bits of <see cref="CandleJsonField"/>: time, open, high,
    /// low, close, volume (bits 0–5).
    /// </summary>
    private const int CandleRequired = 0b11_1111;

    /// <summary>The candle field index of <c>delta</c>: accepted and skipped (it is <c>buyVolume − sellVolume</c>).</summary>
    private const int CandleDelta = (int)CandleJsonField.Delta;

    /// <summary>The candle fields' names as the strings a <see cref="FeedReadError"/> carries, made once from the vocabulary's.</summary>
    private static readonly string[] CandleFieldNames =
        [.. Enumerable.Range(0, CandleDelta + 1).Select(i => System.Text.Encoding.UTF8.GetString(CandleJsonFields.NameOf((CandleJsonField)i)))];

    /// <summary>Decodes one frame held in contiguous memory.</summary>
    /// <param name="frame">The frame's UTF-8 bytes.</param>
    /// <param name="message">The message, when the frame is valid.</param>
    /// <param name="error">Why the frame was skipped, when it is not.</param>
    /// <returns><see langword="true"/> for a valid message of a known type.</returns>
    public static bool TryRead(ReadOnlySpan<byte> frame, out FeedMessage message, out FeedReadError error)
    {
        var f = new Fields { Timeframe = Timeframe.OneMinute };
        if (TryReadCanonical(frame, ref f))
        {
            return Build(ref f, out message, out error);
        }

        return TryReadGeneral(frame, out message, out error);
    }

    /// <summary>The general path alone: <see cref="Utf8JsonReader"/> over the whole frame (tests compare both paths).</summary>
    internal static bool TryReadGeneral(ReadOnlySpan<byte> frame, out FeedMessage message, out FeedReadError error)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        return TryRead(ref reader, out message, out error);
    }

    /// <summary>Decodes one frame that may span several buffer segments (as read from a pipe).</summary>
    /// <param name="frame">The frame's UTF-8 bytes.</param>
    /// <param name="message">The message, when the frame is valid.</param>
    /// <param name="error">Why the frame was skipped, when it is not.</param>
    /// <returns><see langword="true"/> for a valid message of a known type.</returns>
    public static bool TryRead(in ReadOnlySequence<byte> frame, out FeedMessage message, out FeedReadError error)
    {
        if (frame.IsSingleSegment)
        {
            return TryRead(frame.FirstSpan, out message, out error);
        }

        if (TryReadCanonical(frame, out var valid, out message, out error))
        {
            return valid;
        }

        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        return TryRead(ref reader, out message, out error);
    }

    /// <summary>
    /// Reads only a frame's <c>type</c>, <c>symbol</c> and <c>timeframe</c>, stopping as soon as it has all three, so
    /// that a large message nobody wants (a history answer nobody asked for) can be dropped without decoding its
    /// candles. False when the frame is not an object with those three as strings before anything it cannot skip.
    /// </summary>
    internal static bool TryPeekSeries(ReadOnlySpan<byte> frame, out FeedMessageType type, out Symbol symbol, out Timeframe timeframe)
    {
        type = FeedMessageType.None;
        symbol = default;
        timeframe = default;
        var found = 0;
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (found != 0b111 && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("type"u8) ? 0b001 : reader.ValueTextEquals("symbol"u8) ? 0b010 : reader.ValueTextEquals("timeframe"u8) ? 0b100 : 0;
                if (!reader.Read())
                {
                    return false;
                }

                if (field == 0)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                var ok = field switch
                {
                    0b001 => (type = ParseType(ref reader)) != FeedMessageType.None,
                    0b010 => TryReadSymbol(ref reader, out symbol),
                    _ => TryReadTimeframe(ref reader, out timeframe),
                };
                if (!ok)
                {
                    return false;
                }

                found |= field;
            }

            return found == 0b111;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryRead(ref Utf8JsonReader reader, out FeedMessage message, out FeedReadError error)
    {
        message = default;
        try
        {
            return ReadObject(ref reader, out message, out error);
        }
        catch (JsonException ex)
        {
            error = new FeedReadError(FeedRejection.MalformedJson, BytePosition: ex.BytePositionInLine ?? reader.BytesConsumed);
            return false;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string, surfaced when the value is read.
            error = new FeedReadError(FeedRejection.MalformedJson, BytePosition: reader.BytesConsumed);
            return false;
        }
    }

    private static bool ReadObject(ref Utf8JsonReader reader, out FeedMessage message, out FeedReadError error)
    {
        message = default;
        if (!reader.Read())
        {
            error = new FeedReadError(FeedRejection.MalformedJson, BytePosition: 0);
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            error = new FeedReadError(FeedRejection.NotAnObject, BytePosition: reader.TokenStartIndex);
            return false;
        }

        var f = new Fields { Timeframe = Timeframe.OneMinute };

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = MessageProperty(ref reader);
            if (property == Property.Type)
            {
                reader.Read();
                f.SawType = true;
                f.Type = reader.TokenType == JsonTokenType.String ? ParseType(ref reader) : FeedMessageType.None;
                if (reader.TokenType != JsonTokenType.String)
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.WrongFieldType, "type", reader.TokenStartIndex));
                    reader.Skip();
                }
            }
            else if (property == Property.Symbol)
            {
                reader.Read();
                f.HasSymbol = true;
                if (reader.TokenType != JsonTokenType.String)
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.WrongFieldType, "symbol", reader.TokenStartIndex));
                    reader.Skip();
                }
                else if (!TryReadSymbol(ref reader, out f.Symbol))
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.InvalidSymbol, "symbol", reader.TokenStartIndex));
                }
            }
            else if (property == Property.Timeframe)
            {
                reader.Read();
                f.HasTimeframe = true;
                if (reader.TokenType != JsonTokenType.String)
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.WrongFieldType, "timeframe", reader.TokenStartIndex));
                    reader.Skip();
                }
                else if (!TryReadTimeframe(ref reader, out f.Timeframe))
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.InvalidTimeframe, "timeframe", reader.TokenStartIndex));
                }
            }
            else if (property is Property.Data or Property.Candles)
            {
                var isCandles = property == Property.Candles;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    f.Candles = ReadCandleArray(ref reader, out f.RejectedCandles);
                }
                else if (reader.TokenType == JsonTokenType.StartObject && !isCandles)
                {
                    f.HasData = true;
                    var status = ReadCandleObject(ref reader, out f.Data, out var badField);
                    if (status != FeedRejection.None)
                    {
                        SetOnce(ref f.FieldError, new FeedReadError(status, badField, reader.TokenStartIndex));
                    }
                }
                else
                {
                    SetOnce(ref f.FieldError, new FeedReadError(FeedRejection.WrongFieldType, isCandles ? "candles" : "data", reader.TokenStartIndex));
                    reader.Skip();
                }
            }
            else if (property == Property.Price)
            {
                f.HasPrice = ReadDouble(ref reader, "price", ref f.FieldError, out f.Price);
            }
            else if (property == Property.Size)
            {
                f.HasSize = ReadDouble(ref reader, "size", ref f.FieldError, out f.Size);
            }
            else if (property == Property.Time)
            {
                f.HasTime = ReadTime(ref reader, "time", ref f.FieldError, out f.Time);
            }
            else if (property == Property.Side)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    SetOnce(ref f.SideError, new FeedReadError(FeedRejection.WrongFieldType, "side", reader.TokenStartIndex));
                    reader.Skip();
                }
                else if (!TryReadSide(ref reader, out f.Side))
                {
                    SetOnce(ref f.SideError, new FeedReadError(FeedRejection.InvalidSide, "side", reader.TokenStartIndex));
                }
            }
            else if (property == Property.Bars)
            {
                if (ReadDouble(ref reader, "bars", ref f.FieldError, out var b))
                {
                    f.Bars = b is >= 0 and <= int.MaxValue ? (int)b : -1;
                }
            }
            else if (property == Property.Message)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    f.Text = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            error = new FeedReadError(FeedRejection.MalformedJson, BytePosition: reader.BytesConsumed);
            return false;
        }

        // Anything after the object (a second value, garbage) makes the frame malformed.
        if (reader.Read())
        {
            error = new FeedReadError(FeedRejection.MalformedJson, BytePosition: reader.TokenStartIndex);
            return false;
        }

        return Build(ref f, out message, out error);
    }

    /// <summary>Turns the properties of a well-formed frame into a message, or into the first fault they hold.</summary>
    private static bool Build(ref Fields f, out FeedMessage message, out FeedReadError error)
    {
        message = default;
        if (!f.SawType)
        {
            error = new FeedReadError(FeedRejection.MissingType, "type");
            return false;
        }

        if (f.Type == FeedMessageType.None)
        {
            error = f.FieldError.Reason == FeedRejection.WrongFieldType && f.FieldError.Field == "type" ? f.FieldError : new FeedReadError(FeedRejection.UnknownType, "type");
            return false;
        }

        error = default;
        switch (f.Type)
        {
            case FeedMessageType.Candle:
                if (Failed(f.FieldError, ref error) || !Require(f.HasSymbol, "symbol", ref error) || !Require(f.HasTimeframe, "timeframe", ref error) || !Require(f.HasData, "data", ref error))
                {
                    return false;
                }

                var candleRejection = f.Data.TryValidate(out var candle);
                if (candleRejection != CandleRejection.None)
                {
                    error = new FeedReadError(FeedRejection.InvalidCandle, "data", CandleRejection: candleRejection);
                    return false;
                }

                message = new FeedMessage(f.Type, f.Symbol, f.Timeframe, candle, default, false, 0, null, 0, null);
                return true;

            case FeedMessageType.Tick:
                // A bad side matters to ticks only (another message's "side" is an unknown property, skipped), so
                // it is held apart from the other field errors and comes after them.
                if (Failed(f.FieldError, ref error) || Failed(f.SideError, ref error) || !Require(f.HasSymbol, "symbol", ref error) || !Require(f.HasPrice, "price", ref error) || !Require(f.HasSize, "size", ref error))
                {
                    return false;
                }

                var tickRejection = CheckTick(f.Price, f.Size, f.HasTime, ref f.Time);
                if (tickRejection != CandleRejection.None)
                {
                    error = new FeedReadError(FeedRejection.InvalidTick, tickRejection == CandleRejection.InvalidVolume ? "size" : tickRejection == CandleRejection.TimeOutOfRange ? "time" : "price", CandleRejection: tickRejection);
                    return false;
                }

                message = new FeedMessage(f.Type, f.Symbol, default, default, new Tick(f.Time, f.Price, f.Size, f.Time) { Side = f.Side }, f.HasTime, 0, null, 0, null);
                return true;

            case FeedMessageType.HistoricalCandles:
                if (Failed(f.FieldError, ref error) || !Require(f.HasSymbol, "symbol", ref error) || !Require(f.HasTimeframe, "timeframe", ref error) || !Require(f.Candles is not null, "candles", ref error))
                {
                    return false;
                }

                message = new FeedMessage(f.Type, f.Symbol, f.Timeframe, default, default, false, 0, f.Candles, f.RejectedCandles, null);
                return true;

            case FeedMessageType.GetHistory:
                if (Failed(f.FieldError, ref error) || !Require(f.HasSymbol, "symbol", ref error) || !Require(f.HasTimeframe, "timeframe", ref error))
                {
                    return false;
                }

                if (f.Bars < 0)
                {
                    error = new FeedReadError(FeedRejection.WrongFieldType, "bars");
                    return false;
                }

                message = new FeedMessage(f.Type, f.Symbol, f.Timeframe, default, default, false, f.Bars, null, 0, null);
                return true;

            case FeedMessageType.Error:
                message = new FeedMessage(f.Type, default, default, default, default, false, 0, null, 0, f.Text ?? string.Empty);
                return true;

            default:
                // pong, ping: no fields.
                message = new FeedMessage(f.Type, default, default, default, default, false, 0, null, 0, null);
                return true;
        }
    }

    /// <summary>The properties of one frame as they are read, before the message is built from them.</summary>
    private struct Fields
    {
        public FeedMessageType Type;
        public bool SawType;
        public FeedReadError FieldError;
        public Symbol Symbol;
        public bool HasSymbol;
        public Timeframe Timeframe;
        public bool HasTimeframe;
        public RawCandle Data;
        public bool HasData;
        public Candle[]? Candles;
        public int RejectedCandles;
        public double Price;
        public bool HasPrice;
        public double Size;
        public bool HasSize;
        public long Time;
        public bool HasTime;
        public AggressorSide Side;
        public FeedReadError SideError;
        public int Bars;
        public string? Text;
    }

    private enum Property
    {
        Other,
        Type,
        Symbol,
        Timeframe,
        Data,
        Candles,
        Price,
        Size,
        Time,
        Bars,
        Message,
        Side,
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Property MessageProperty(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return PropertyOf(reader.ValueSpan);
        }

        return reader.ValueTextEquals("type"u8) ? Property.Type
            : reader.ValueTextEquals("symbol"u8) ? Property.Symbol
            : reader.ValueTextEquals("timeframe"u8) ? Property.Timeframe
            : reader.ValueTextEquals("data"u8) ? Property.Data
            : reader.ValueTextEquals("candles"u8) ? Property.Candles
            : reader.ValueTextEquals("price"u8) ? Property.Price
            : reader.ValueTextEquals("size"u8) ? Property.Size
            : reader.ValueTextEquals("time"u8) ? Property.Time
            : reader.ValueTextEquals("bars"u8) ? Property.Bars
            : reader.ValueTextEquals("message"u8) ? Property.Message
            : reader.ValueTextEquals("side"u8) ? Property.Side
            : Property.Other;
    }

    private static CandleRejection CheckTick(double price, double size, bool hasTime, ref long time)
    {
        if (!(price > 0 && price <= double.MaxValue))
        {
            return double.IsFinite(price) ? CandleRejection.NonPositivePrice : CandleRejection.NonFinitePrice;
        }

        if (!(size >= 0 && size <= Candle.MaxVolume))
        {
            return CandleRejection.InvalidVolume;
        }

        if (hasTime)
        {
            if (!UnixTime.TryToMilliseconds(time, out time))
            {
                return CandleRejection.TimeOutOfRange;
            }
        }

        return CandleRejection.None;
    }

    private static bool Require(bool present, string field, ref FeedReadError error)
    {
        if (!present)
        {
            error = new FeedReadError(FeedRejection.MissingField, field);
        }

        return present;
    }

    private static bool Failed(in FeedReadError fieldError, ref FeedReadError error)
    {
        if (fieldError.Reason != FeedRejection.None)
        {
            error = fieldError;
            return true;
        }

        return false;
    }

    private static void SetOnce(ref FeedReadError target, in FeedReadError value)
    {
        if (target.Reason == FeedRejection.None)
        {
            target = value;
        }
    }

    private static FeedMessageType ParseType(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return ParseType(reader.ValueSpan);
        }

        if (reader.ValueTextEquals("candle"u8))
        {
            return FeedMessageType.Candle;
        }

        if (reader.ValueTextEquals("tick"u8))
        {
            return FeedMessageType.Tick;
        }

        if (reader.ValueTextEquals("historical_candles"u8))
        {
            return FeedMessageType.HistoricalCandles;
        }

        if (reader.ValueTextEquals("pong"u8))
        {
            return FeedMessageType.Pong;
        }

        if (reader.ValueTextEquals("error"u8))
        {
            return FeedMessageType.Error;
        }

        if (reader.ValueTextEquals("get_history"u8))
        {
            return FeedMessageType.GetHistory;
        }

        return reader.ValueTextEquals("ping"u8) ? FeedMessageType.Ping : FeedMessageType.None;
    }

    private static bool TryReadSymbol(ref Utf8JsonReader reader, out Symbol symbol)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return Symbol.TryParse(reader.ValueSpan, out symbol);
        }

        Span<byte> buffer = stackalloc byte[MaxSymbolBytes];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxSymbolBytes * 6)
        {
            symbol = default;
            return false;
        }

        try
        {
            var written = reader.CopyString(buffer);
            return Symbol.TryParse(buffer[..written], out symbol);
        }
        catch (ArgumentException)
        {
            // Longer than any symbol once unescaped.
            symbol = default;
            return false;
        }
    }

    /// <summary>A tick's <c>side</c> string: <c>B</c>, <c>A</c> or <c>N</c>, escaped or not.</summary>
    private static bool TryReadSide(ref Utf8JsonReader reader, out AggressorSide side)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return TryParseSide(reader.ValueSpan, out side);
        }

        side = reader.ValueTextEquals("B"u8) ? AggressorSide.Buy
            : reader.ValueTextEquals("A"u8) ? AggressorSide.Sell
            : AggressorSide.Unknown;
        return side != AggressorSide.Unknown || reader.ValueTextEquals("N"u8);
    }

    /// <summary>Databento's side letters: <c>B</c> a buy aggressor, <c>A</c> a sell aggressor, <c>N</c> none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseSide(ReadOnlySpan<byte> value, out AggressorSide side)
    {
        side = AggressorSide.Unknown;
        if (value.Length != 1)
        {
            return false;
        }

        switch (value[0])
        {
            case (byte)'B':
                side = AggressorSide.Buy;
                return true;
            case (byte)'A':
                side = AggressorSide.Sell;
                return true;
            default:
                return value[0] == (byte)'N';
        }
    }

    private static bool TryReadTimeframe(ref Utf8JsonReader reader, out Timeframe timeframe)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return Timeframe.TryParse(reader.ValueSpan, out timeframe);
        }

        Span<byte> buffer = stackalloc byte[8];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > 48)
        {
            timeframe = default;
            return false;
        }

        try
        {
            return Timeframe.TryParse(buffer[..reader.CopyString(buffer)], out timeframe);
        }
        catch (ArgumentException)
        {
            timeframe = default;
            return false;
        }
    }

    private static bool ReadDouble(ref Utf8JsonReader reader, string field, ref FeedReadError fieldError, out double value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && TryGetDouble(ref reader, out value))
        {
            return true;
        }

        value = 0;
        return WrongType(ref reader, field, ref fieldError);
    }

    private static bool ReadTime(ref Utf8JsonReader reader, string field, ref FeedReadError fieldError, out long value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && TryGetTime(ref reader, out value))
        {
            return true;
        }

        value = 0;
        return WrongType(ref reader, field, ref fieldError);
    }

    /// <summary>Records a wrongly typed value, skips it, and returns <see langword="false"/>.</summary>
    private static bool WrongType(ref Utf8JsonReader reader, string field, ref FeedReadError fieldError)
    {
        SetOnce(ref fieldError, new FeedReadError(FeedRejection.WrongFieldType, field, reader.TokenStartIndex));
        reader.Skip();
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetTime(ref Utf8JsonReader reader, out long value)
    {
        if (TryGetInt64(ref reader, out value))
        {
            return true;
        }

        // 1704067200000.0 or 1.7040672E12: accept a whole-valued number written as a double.
        if (TryGetDouble(ref reader, out var d) && d >= long.MinValue && d < long.MaxValue && Math.Floor(d) == d)
        {
            value = (long)d;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// <see cref="Utf8JsonReader.TryGetDouble"/> without its allocation when a number spans pipe segments: the
    /// number's bytes are copied to the stack and parsed there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetDouble(ref Utf8JsonReader reader, out double value)
    {
        if (!reader.HasValueSequence)
        {
            return FastNumber.TryParseDouble(reader.ValueSpan, out value) || reader.TryGetDouble(out value);
        }

        return TryGetDoubleFromSequence(ref reader, out value);
    }

    private static bool TryGetDoubleFromSequence(ref Utf8JsonReader reader, out double value)
    {
        Span<byte> bytes = stackalloc byte[MaxNumberBytes];
        if (!TryCopyNumber(ref reader, bytes, out var length))
        {
            return reader.TryGetDouble(out value);
        }

        return Utf8Parser.TryParse(bytes[..length], out value, out var consumed) && consumed == length && double.IsFinite(value);
    }

    /// <summary>Copies a number that spans segments to <paramref name="bytes"/>; <see langword="false"/> when it does not fit.</summary>
    private static bool TryCopyNumber(ref Utf8JsonReader reader, scoped Span<byte> bytes, out int length)
    {
        var sequence = reader.ValueSequence;
        if (sequence.Length > bytes.Length)
        {
            length = 0;
            return false;
        }

        sequence.CopyTo(bytes);
        length = (int)sequence.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetInt64(ref Utf8JsonReader reader, out long value)
    {
        if (!reader.HasValueSequence)
        {
            return FastNumber.TryParseInt64(reader.ValueSpan, out value) || reader.TryGetInt64(out value);
        }

        Span<byte> bytes = stackalloc byte[MaxNumberBytes];
        if (!TryCopyNumber(ref reader, bytes, out var length))
        {
            return reader.TryGetInt64(out value);
        }

        return Utf8Parser.TryParse(bytes[..length], out value, out var consumed) && consumed == length;
    }

    private static Candle[] ReadCandleArray(ref Utf8JsonReader reader, out int rejected)
    {
        rejected = 0;
        var buffer = RentCandles(256);
        var count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    rejected++;
                    continue;
                }

                if (ReadCandleObject(ref reader, out var raw, out _) != FeedRejection.None || raw.TryValidate(out var candle) != CandleRejection.None)
                {
                    rejected++;
                    continue;
                }

                Append(ref buffer, ref count, candle);
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ReturnCandles(buffer);
        }
    }

    /// <summary>
    /// A work buffer of candles: from the shared pool up to <see cref="PooledCandles"/>, allocated beyond. A large
    /// history answer's buffer is garbage once the answer is read: pooled, the shared pool would keep several of them
    /// (one per thread and core that used one), tens of MB held for good after a few large or hostile answers.
    /// </summary>
    private static Candle[] RentCandles(int minimumLength) =>
        minimumLength <= PooledCandles ? ArrayPool<Candle>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<Candle>(minimumLength);

    private static void ReturnCandles(Candle[] buffer)
    {
        if (buffer.Length <= PooledCandles)
        {
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    private const int PooledCandles = 16 * 1024;

    /// <summary>Adds a candle to a pooled buffer, renting one twice the size when it is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Append(ref Candle[] buffer, ref int count, in Candle candle)
    {
        if (count == buffer.Length)
        {
            var bigger = RentCandles(buffer.Length * 2);
            buffer.AsSpan(0, count).CopyTo(bigger);
            ReturnCandles(buffer);
            buffer = bigger;
        }

        buffer[count++] = candle;
    }

    /// <summary>
    /// Reads <c>{time, open, high, low, close, volume}</c> with the optional <c>buyVolume</c> and <c>sellVolume</c>
    /// (0 when absent; <c>delta</c> is redundant and skipped); the reader is on the object's start and ends on its end.
    /// </summary>
    private static FeedRejection ReadCandleObject(ref Utf8JsonReader reader, out RawCandle candle, out string? field)
    {
        long time = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, buy = 0, sell = 0;
        var seen = 0;
        var status = FeedRejection.None;
        field = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = CandleField(ref reader);
            reader.Read();
            if (which is < 0 or CandleDelta)
            {
                reader.Skip();
                continue;
            }

            var ok = reader.TokenType == JsonTokenType.Number && which switch
            {
                0 => TryGetTime(ref reader, out time),
                1 => TryGetDouble(ref reader, out open),
                2 => TryGetDouble(ref reader, out high),
                3 => TryGetDouble(ref reader, out low),
                4 => TryGetDouble(ref reader, out close),
                5 => TryGetDouble(ref reader, out volume),
                6 => TryGetDouble(ref reader, out buy),
                _ => TryGetDouble(ref reader, out sell),
            };
            if (!ok)
            {
                if (status == FeedRejection.None)
                {
                    status = FeedRejection.WrongFieldType;
                    field = CandleFieldName(which);
                }

                reader.Skip();
                continue;
            }

            seen |= 1 << which;
        }

        candle = new RawCandle(time, open, high, low, close, volume) { BuyVolume = buy, SellVolume = sell };
        if (status == FeedRejection.None && (seen & CandleRequired) != CandleRequired)
        {
            status = FeedRejection.MissingField;
            field = CandleFieldName(System.Numerics.BitOperations.TrailingZeroCount(~seen & CandleRequired));
        }

        return status;
    }

    /// <summary>Which candle field the reader's property name is (0 time … 5 volume, 6 buyVolume, 7 sellVolume, 8 delta), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CandleField(ref Utf8JsonReader reader) => (int)CandleJsonFields.Find(ref reader);

    /// <summary>Which candle field an unescaped name is (0 time … 5 volume, 6 buyVolume, 7 sellVolume, 8 delta), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CandleField(ReadOnlySpan<byte> name) => (int)CandleJsonFields.Find(name);

    private static string CandleFieldName(int which) => CandleFieldNames[which];
}
