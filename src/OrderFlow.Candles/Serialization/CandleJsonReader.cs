using System.Text.Json;

namespace OrderFlow.Candles.Serialization;

/// <summary>
/// Reads the candle JSON vocabulary that <see cref="CandleJsonWriter"/> writes (and the seed's pages and workers
/// wrote before it): <see cref="Utf8JsonReader"/> straight into validated <see cref="Candle"/> values, no DTOs.
/// </summary>
/// <remarks>
/// <para>
/// Fields may come in any order and unknown fields are skipped. <c>time</c> may be Unix seconds or milliseconds
/// (<see cref="UnixTime.TryToSeconds"/>); <c>buyVolume</c> and <c>sellVolume</c> are optional (0 when absent);
/// <c>delta</c> is ignored (it is buy − sell). A candle with a missing field, a wrong type or values that
/// <see cref="Candle.TryCreate(long, double, double, double, double, double, double, double, out Candle)"/> rejects
/// (inconsistent flow included) is invalid: skipped and counted, never thrown.
/// </para>
/// <para>
/// <see cref="TryGetArrayShape"/> is the cheap check for bytes that are passed on without being read (the chart
/// server's responses): it looks at the brackets only, trusting the writer for what is between them. Thread-safe.
/// </para>
/// </remarks>
public static class CandleJsonReader
{
    // The bits of CandleJsonField.Time to CandleJsonField.Volume: the fields every candle object carries.
    private const int RequiredFields = 0b11_1111;

    // Past this many candles (about 256 MB) the array grows with what is read instead of being sized in advance.
    private const int MaxPresized = 1 << 22;

    /// <summary>Reads a JSON array of candles.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="rejected">How many array elements were invalid candles and were skipped.</param>
    /// <returns>The valid candles, in array order; null when the JSON is malformed or not an array.</returns>
    public static Candle[]? ReadArray(ReadOnlySpan<byte> json, out int rejected)
    {
        rejected = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            // Sized from what the value holds, so a stored chart is read without regrowing: a candle opens one object
            // and takes at least ~60 bytes. Both bounds together keep a hostile value (megabytes of padding, or of
            // braces) from making the reader allocate much more than the value's own size before it fails.
            var result = new Candle[Math.Min(Math.Min(json.Count((byte)'{'), (json.Length / 50) + 1), MaxPresized)];
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (TryReadCandle(ref reader, out var candle))
                {
                    if (count == result.Length)
                    {
                        Array.Resize(ref result, Math.Max(16, result.Length * 2));
                    }

                    result[count++] = candle;
                }
                else
                {
                    rejected++;
                }
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                return null;
            }

            if (count != result.Length)
            {
                Array.Resize(ref result, count);
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads one candle object, with nothing after it.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="candle">The candle, when valid.</param>
    /// <returns>False when the JSON is malformed, is not one object, or the candle is invalid.</returns>
    public static bool TryReadSingle(ReadOnlySpan<byte> json, out Candle candle)
    {
        candle = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && TryReadCandle(ref reader, out candle) && !reader.Read();
        }
        catch (JsonException)
        {
            candle = default;
            return false;
        }
    }

    /// <summary>
    /// The cheap structural check of a candle array passed on unread: the first non-blank byte is <c>[</c> and the
    /// last is <c>]</c>. It does not look between them (the writer is trusted for that), so it costs the same for
    /// 10 candles as for 100,000, and catches what damage usually looks like: a truncated value, or a value of
    /// another kind under the key.
    /// </summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="isEmpty">True when the array holds nothing (<c>[]</c>, blanks allowed).</param>
    /// <returns>True when the bytes have the shape of a JSON array.</returns>
    public static bool TryGetArrayShape(ReadOnlySpan<byte> json, out bool isEmpty)
    {
        var inner = Trim(json);
        isEmpty = false;
        if (inner.Length < 2 || inner[0] != (byte)'[' || inner[^1] != (byte)']')
        {
            return false;
        }

        isEmpty = Trim(inner[1..^1]).IsEmpty;
        return true;
    }

    /// <summary>
    /// Reads the candle object at the reader's current token (which must be the object's start, else the value is
    /// skipped and false returned). Leaves the reader on the object's end.
    /// </summary>
    internal static bool TryReadCandle(ref Utf8JsonReader reader, out Candle candle)
    {
        candle = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        long time = 0;
        double open = 0, high = 0, low = 0, close = 0, volume = 0, buy = 0, sell = 0;
        var seen = 0;
        var valid = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = CandleJsonFields.Find(ref reader);
            reader.Read();
            if (field is CandleJsonField.Unknown or CandleJsonField.Delta)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip();
                valid = false;
                continue;
            }

            seen |= 1 << (int)field;
            switch (field)
            {
                case CandleJsonField.Time:
                    if (!reader.TryGetInt64(out time))
                    {
                        // A whole-valued decimal (1704067200000.0); `&=`, so a field found wrong before stays wrong.
                        var whole = reader.TryGetDouble(out var t) && t == Math.Floor(t) && t is >= long.MinValue and <= long.MaxValue;
                        valid &= whole;
                        time = whole ? (long)t : 0;
                    }

                    break;
                case CandleJsonField.Open: valid &= reader.TryGetDouble(out open); break;
                case CandleJsonField.High: valid &= reader.TryGetDouble(out high); break;
                case CandleJsonField.Low: valid &= reader.TryGetDouble(out low); break;
                case CandleJsonField.Close: valid &= reader.TryGetDouble(out close); break;
                case CandleJsonField.Volume: valid &= reader.TryGetDouble(out volume); break;
                case CandleJsonField.BuyVolume: valid &= reader.TryGetDouble(out buy); break;
                default: valid &= reader.TryGetDouble(out sell); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Unterminated candle object.");
        }

        return valid && (seen & RequiredFields) == RequiredFields
            && Candle.TryCreate(time, open, high, low, close, volume, buy, sell, out candle) == CandleRejection.None;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8);
}
