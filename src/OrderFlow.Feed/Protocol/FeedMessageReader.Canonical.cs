using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// The fast path: a hand-written scanner for the canonical shape of the hot messages (<c>candle</c>, <c>tick</c>,
/// <c>historical_candles</c>), with <see cref="System.Text.Json.Utf8JsonReader"/> behind it for everything else.
/// </summary>
/// <remarks>
/// <para>
/// The scanner accepts a strict subset of JSON: one object whose property names and string values are plain ASCII
/// without escapes, whose numbers are plain decimals without exponent, and whose
/// <c>data</c>/<c>candles</c> hold candle objects (or an array of them) with numeric or plain-string properties
/// (the order flow's <c>buyVolume</c>/<c>sellVolume</c> numbers and <c>delta</c> included, in any order, the writer's
/// order matched fastest), and whose tick <c>side</c>, if any, is <c>"B"</c>, <c>"A"</c> or <c>"N"</c>.
/// Everything it accepts is valid JSON, read to the same values as the general path. Anything outside the subset
/// (escapes, exponents, nesting, <c>true</c>/<c>false</c>/<c>null</c>, a wrongly typed field, an invalid symbol,
/// trailing bytes, a syntax error) makes it give up, and the frame is read again by the general path, which owns
/// every error and its byte position. A frame the scanner accepts therefore decodes exactly as the general path
/// would decode it; only faster, because it does not tokenise the 1.4 million tokens of a 100,000-bar answer.
/// </para>
/// </remarks>
public static partial class FeedMessageReader
{
    /// <summary>
    /// The candle properties with their quotes and colon (<c>"time":</c>), in the writer's order (the order flow last,
    /// when present), made once from the vocabulary's names (<see cref="CandleJsonFields"/>).
    /// </summary>
    private static readonly byte[][] CandleKeys =
        [.. Enumerable.Range(0, CandleDelta + 1).Select(i => (byte[])[(byte)'"', .. CandleJsonFields.NameOf((CandleJsonField)i), (byte)'"', (byte)':'])];

    /// <summary>Frames up to this size are copied to the stack when they span segments; larger ones to a pooled array.</summary>
    private const int StackCopyBytes = 512;

    /// <summary>Whether the fast path reads <paramref name="frame"/> (tests check that the writer's frames all take it).</summary>
    internal static bool IsCanonical(ReadOnlySpan<byte> frame)
    {
        var f = new Fields { Timeframe = Timeframe.OneMinute };
        return TryReadCanonical(frame, ref f);
    }

    /// <summary>
    /// Reads a multi-segment frame through the canonical scanner, over one contiguous copy.
    /// <see langword="false"/> when the frame is not canonical (the caller reads it with the general path).
    /// </summary>
    private static bool TryReadCanonical(in ReadOnlySequence<byte> frame, out bool valid, out FeedMessage message, out FeedReadError error)
    {
        var length = frame.Length;
        if (length > Array.MaxLength)
        {
            valid = false;
            message = default;
            error = default;
            return false;
        }

        byte[]? rented = null;
        var copy = length <= StackCopyBytes ? stackalloc byte[StackCopyBytes] : (rented = ArrayPool<byte>.Shared.Rent((int)length));
        try
        {
            copy = copy[..(int)length];
            frame.CopyTo(copy);
            var f = new Fields { Timeframe = Timeframe.OneMinute };
            if (TryReadCanonical(copy, ref f))
            {
                valid = Build(ref f, out message, out error);
                return true;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        valid = false;
        message = default;
        error = default;
        return false;
    }

    /// <summary>
    /// Reads the properties of a canonical frame into <paramref name="f"/>. <see langword="false"/> as soon as the
    /// frame leaves the canonical subset; <paramref name="f"/> is then meaningless.
    /// </summary>
    private static bool TryReadCanonical(ReadOnlySpan<byte> s, ref Fields f)
    {
        var i = 0;
        SkipWhitespace(s, ref i);
        if (!TryConsume(s, ref i, (byte)'{'))
        {
            return false;
        }

        SkipWhitespace(s, ref i);
        if (!TryConsume(s, ref i, (byte)'}'))
        {
            while (true)
            {
                if (!TryReadPlainString(s, ref i, out var name) || !TryReadColon(s, ref i) || !TryReadMessageValue(s, ref i, name, ref f))
                {
                    return false;
                }

                SkipWhitespace(s, ref i);
                if (TryConsume(s, ref i, (byte)','))
                {
                    SkipWhitespace(s, ref i);
                    continue;
                }

                if (TryConsume(s, ref i, (byte)'}'))
                {
                    break;
                }

                return false;
            }
        }

        SkipWhitespace(s, ref i);
        return i == s.Length;
    }

    private static bool TryReadMessageValue(ReadOnlySpan<byte> s, ref int i, ReadOnlySpan<byte> name, ref Fields f)
    {
        switch (PropertyOf(name))
        {
            case Property.Type:
                if (!TryReadPlainString(s, ref i, out var type))
                {
                    return false;
                }

                f.SawType = true;
                f.Type = ParseType(type);
                return true;

            case Property.Symbol:
                f.HasSymbol = true;
                return TryReadPlainString(s, ref i, out var symbol) && Symbol.TryParse(symbol, out f.Symbol);

            case Property.Timeframe:
                f.HasTimeframe = true;
                return TryReadPlainString(s, ref i, out var timeframe) && Timeframe.TryParse(timeframe, out f.Timeframe);

            case Property.Data or Property.Candles when i < s.Length && s[i] == (byte)'[':
                f.Candles = ReadCanonicalCandleArray(s, ref i, out f.RejectedCandles);
                return f.Candles is not null;

            case Property.Data when i < s.Length && s[i] == (byte)'{':
                f.HasData = true;
                return TryReadCanonicalCandle(s, ref i, out f.Data) == FeedRejection.None;

            case Property.Price:
                f.HasPrice = true;
                return TryReadDouble(s, ref i, out f.Price);

            case Property.Size:
                f.HasSize = true;
                return TryReadDouble(s, ref i, out f.Size);

            case Property.Time:
                f.HasTime = true;
                return TryReadTime(s, ref i, out f.Time);

            case Property.Side:
                // B, A or N; anything else (another string, a number, an escape) is the general path's to report.
                return TryReadPlainString(s, ref i, out var side) && TryParseSide(side, out f.Side);

            case Property.Bars:
                if (!TryReadDouble(s, ref i, out var bars))
                {
                    return false;
                }

                f.Bars = bars is >= 0 and <= int.MaxValue ? (int)bars : -1;
                return true;

            case Property.Other:
                // An unknown property: a number or a plain string is skipped; anything else goes to the general path.
                return TryReadPlainString(s, ref i, out _) || TrySkipNumber(s, ref i);

            default:
                // message (an error frame: allocates its text, rare), or data/candles of the wrong type.
                return false;
        }
    }

    /// <summary>The candle array; <see langword="null"/> when it leaves the canonical subset.</summary>
    private static Candle[]? ReadCanonicalCandleArray(ReadOnlySpan<byte> s, ref int i, out int rejected)
    {
        rejected = 0;
        i++; // '['
        SkipWhitespace(s, ref i);
        if (TryConsume(s, ref i, (byte)']'))
        {
            return [];
        }

        var buffer = RentCandles(Math.Clamp(s.Length / 64, 16, 1 << 20));
        var count = 0;
        try
        {
            while (true)
            {
                var status = TryReadCanonicalCandle(s, ref i, out var raw);
                if (status == FeedRejection.MalformedJson)
                {
                    return null;
                }

                if (status != FeedRejection.None || raw.TryValidate(out var candle) != CandleRejection.None)
                {
                    rejected++;
                }
                else
                {
                    Append(ref buffer, ref count, candle);
                }

                SkipWhitespace(s, ref i);
                if (TryConsume(s, ref i, (byte)','))
                {
                    SkipWhitespace(s, ref i);
                    continue;
                }

                if (TryConsume(s, ref i, (byte)']'))
                {
                    return buffer.AsSpan(0, count).ToArray();
                }

                return null;
            }
        }
        finally
        {
            ReturnCandles(buffer);
        }
    }

    /// <summary>
    /// One candle object at <paramref name="i"/>: <see cref="FeedRejection.None"/>, <see cref="FeedRejection.MissingField"/>
    /// (well-formed, a field absent: the general path rejects the candle for the same reason), or
    /// <see cref="FeedRejection.MalformedJson"/> for anything outside the canonical subset.
    /// </summary>
    private static FeedRejection TryReadCanonicalCandle(ReadOnlySpan<byte> s, ref int i, out RawCandle candle)
    {
        long time = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, buy = 0, sell = 0;
        var seen = 0;
        candle = default;
        if (!TryConsume(s, ref i, (byte)'{'))
        {
            return FeedRejection.MalformedJson;
        }

        SkipWhitespace(s, ref i);
        if (!TryConsume(s, ref i, (byte)'}'))
        {
            while (true)
            {
                // The usual order (time, open, high, low, close, volume, then buyVolume, sellVolume, delta when the
                // candle has order flow, as the writer puts them) matches whole `"name":` literals; any other order
                // or spacing takes the general name match.
                int which;
                var next = seen == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)seen);
                if (next < CandleKeys.Length && s[i..].StartsWith(CandleKeys[next]))
                {
                    which = next;
                    i += CandleKeys[next].Length;
                    SkipWhitespace(s, ref i);
                }
                else if (TryReadPlainString(s, ref i, out var name) && TryReadColon(s, ref i))
                {
                    which = CandleField(name);
                }
                else
                {
                    return FeedRejection.MalformedJson;
                }

                var ok = which switch
                {
                    0 => TryReadTime(s, ref i, out time),
                    1 => TryReadDouble(s, ref i, out open),
                    2 => TryReadDouble(s, ref i, out high),
                    3 => TryReadDouble(s, ref i, out low),
                    4 => TryReadDouble(s, ref i, out close),
                    5 => TryReadDouble(s, ref i, out volume),
                    6 => TryReadDouble(s, ref i, out buy),
                    7 => TryReadDouble(s, ref i, out sell),
                    // delta (redundant) and unknown properties: a number or a plain string is skipped.
                    _ => TryReadPlainString(s, ref i, out _) || TrySkipNumber(s, ref i),
                };
                if (!ok)
                {
                    return FeedRejection.MalformedJson;
                }

                if (which >= 0)
                {
                    seen |= 1 << which;
                }

                SkipWhitespace(s, ref i);
                if (TryConsume(s, ref i, (byte)','))
                {
                    SkipWhitespace(s, ref i);
                    continue;
                }

                if (TryConsume(s, ref i, (byte)'}'))
                {
                    break;
                }

                return FeedRejection.MalformedJson;
            }
        }

        candle = new RawCandle(time, open, high, low, close, volume) { BuyVolume = buy, SellVolume = sell };
        return (seen & CandleRequired) == CandleRequired ? FeedRejection.None : FeedRejection.MissingField;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipWhitespace(ReadOnlySpan<byte> s, ref int i)
    {
        while ((uint)i < (uint)s.Length && s[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryConsume(ReadOnlySpan<byte> s, ref int i, byte expected)
    {
        if ((uint)i < (uint)s.Length && s[i] == expected)
        {
            i++;
            return true;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadColon(ReadOnlySpan<byte> s, ref int i)
    {
        SkipWhitespace(s, ref i);
        if (!TryConsume(s, ref i, (byte)':'))
        {
            return false;
        }

        SkipWhitespace(s, ref i);
        return true;
    }

    /// <summary>A string of printable ASCII without escapes; its content (without quotes) in <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadPlainString(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> value)
    {
        value = default;
        if ((uint)i >= (uint)s.Length || s[i] != (byte)'"')
        {
            return false;
        }

        var start = i + 1;
        for (var j = start; (uint)j < (uint)s.Length; j++)
        {
            var b = s[j];
            if (b == (byte)'"')
            {
                value = s[start..j];
                i = j + 1;
                return true;
            }

            if (b is < 0x20 or >= 0x7F or (byte)'\\')
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A JSON number without exponent, skipped (an unknown property's value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TrySkipNumber(ReadOnlySpan<byte> s, ref int i) => FastNumber.TryScan(s, ref i, out _, out _, out _, out _);

    /// <summary>A number read to the double the general path reads (<see cref="System.Text.Json.Utf8JsonReader.TryGetDouble"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadDouble(ReadOnlySpan<byte> s, ref int i, out double value)
    {
        var start = i;
        if (!FastNumber.TryScan(s, ref i, out var mantissa, out var significant, out var fraction, out var negative))
        {
            value = 0;
            return false;
        }

        // Beyond what the fast composition handles (more than 19 significant digits, extreme magnitudes): the
        // general parser, exactly as Utf8JsonReader.TryGetDouble applies it.
        return FastNumber.TryCompose(mantissa, significant, fraction, negative, out value)
            || (Utf8Parser.TryParse(s[start..i], out value, out var consumed) && consumed == i - start && double.IsFinite(value));
    }

    /// <summary>Mirrors the general path's time rule: an integer, or a whole-valued decimal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadTime(ReadOnlySpan<byte> s, ref int i, out long value)
    {
        value = 0;
        if (!FastNumber.TryScan(s, ref i, out var mantissa, out var significant, out var fraction, out var negative))
        {
            return false;
        }

        if (fraction < 0 && !negative && significant <= 18)
        {
            value = (long)mantissa;
            return true;
        }

        // 1704067200000.0, or a negative integer: whole-valued doubles, as the general path reads them. Anything
        // else (19 digits and more) is left to the general path.
        if (FastNumber.TryCompose(mantissa, significant, fraction, negative, out var d) && d >= long.MinValue && d < long.MaxValue && Math.Floor(d) == d)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    private static Property PropertyOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("type"u8) ? Property.Type
            : name.SequenceEqual("data"u8) ? Property.Data
            : name.SequenceEqual("size"u8) ? Property.Size
            : name.SequenceEqual("time"u8) ? Property.Time
            : name.SequenceEqual("bars"u8) ? Property.Bars
            : name.SequenceEqual("side"u8) ? Property.Side
            : Property.Other,
        5 => name.SequenceEqual("price"u8) ? Property.Price : Property.Other,
        6 => name.SequenceEqual("symbol"u8) ? Property.Symbol : Property.Other,
        7 => name.SequenceEqual("candles"u8) ? Property.Candles
            : name.SequenceEqual("message"u8) ? Property.Message
            : Property.Other,
        9 => name.SequenceEqual("timeframe"u8) ? Property.Timeframe : Property.Other,
        _ => Property.Other,
    };

    private static FeedMessageType ParseType(ReadOnlySpan<byte> type) => type.Length switch
    {
        6 when type.SequenceEqual("candle"u8) => FeedMessageType.Candle,
        4 when type.SequenceEqual("tick"u8) => FeedMessageType.Tick,
        18 when type.SequenceEqual("historical_candles"u8) => FeedMessageType.HistoricalCandles,
        4 when type.SequenceEqual("pong"u8) => FeedMessageType.Pong,
        4 when type.SequenceEqual("ping"u8) => FeedMessageType.Ping,
        5 when type.SequenceEqual("error"u8) => FeedMessageType.Error,
        11 when type.SequenceEqual("get_history"u8) => FeedMessageType.GetHistory,
        _ => FeedMessageType.None,
    };
}
