using System.Buffers;
using System.Text.Json;
using OrderFlow.Candles;

namespace OrderFlow.Redis.Serialization;

/// <summary>
/// The stored JSON form of candles: <c>{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031.0,"volume":15000}</c>
/// with the time in Unix seconds, and arrays of them. A candle with order flow (<see cref="Candle.HasFlow"/>) also
/// carries <c>"buyVolume"</c>, <c>"sellVolume"</c> and <c>"delta"</c> after <c>"volume"</c>: readers that do not
/// know them (the seed's pages, older versions) ignore them, and candles without flow are written exactly as before.
/// On reading, <c>delta</c> is ignored (it is buy − sell) and inconsistent flow (negative, or more than the volume)
/// makes the candle invalid, skipped and counted like any other. Written with a cached <see cref="Utf8JsonWriter"/>, read with
/// <see cref="Utf8JsonReader"/> straight into validated <see cref="Candle"/> values (no DTOs).
/// </summary>
internal static class CandleJson
{
    // Only this class writes, and always a well-formed structure: validation is wasted work on 100,000-candle charts.
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Indented = false };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static void WriteArray(IBufferWriter<byte> destination, ReadOnlySpan<Candle> candles)
    {
        var w = Rent(destination);
        w.WriteStartArray();
        foreach (ref readonly var candle in candles)
        {
            WriteObject(w, candle);
        }

        w.WriteEndArray();
        w.Flush();
    }

    public static void WriteObject(IBufferWriter<byte> destination, in Candle candle)
    {
        var w = Rent(destination);
        WriteObject(w, candle);
        w.Flush();
    }

    /// <summary>
    /// Reads an array of candles. Invalid candles (bad values, missing fields, wrong types) are skipped and counted in
    /// <paramref name="rejected"/>. Returns null when the JSON itself is malformed or not an array.
    /// </summary>
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

            // A stored candle takes at least ~60 bytes: a cheap upper bound that avoids regrowing a list.
            var result = new Candle[Math.Min(json.Length / 50 + 1, 1 << 22)];
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (TryReadObject(ref reader, out var candle))
                {
                    if (count == result.Length)
                    {
                        Array.Resize(ref result, result.Length * 2);
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

    /// <summary>Reads one candle object; false when the JSON is malformed or the values are invalid.</summary>
    public static bool TryReadSingle(ReadOnlySpan<byte> json, out Candle candle)
    {
        candle = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && TryReadObject(ref reader, out candle) && !reader.Read();
        }
        catch (JsonException)
        {
            candle = default;
            return false;
        }
    }

    private static bool TryReadObject(ref Utf8JsonReader reader, out Candle candle)
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
            var field = Field(ref reader);
            reader.Read();
            if (field < 0)
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

            seen |= 1 << field;
            switch (field)
            {
                case 0:
                    if (!reader.TryGetInt64(out time))
                    {
                        valid = reader.TryGetDouble(out var t) && t == Math.Floor(t) && t is >= long.MinValue and <= long.MaxValue;
                        time = valid ? (long)t : 0;
                    }

                    break;
                case 1: valid &= reader.TryGetDouble(out open); break;
                case 2: valid &= reader.TryGetDouble(out high); break;
                case 3: valid &= reader.TryGetDouble(out low); break;
                case 4: valid &= reader.TryGetDouble(out close); break;
                case 5: valid &= reader.TryGetDouble(out volume); break;
                case 6: valid &= reader.TryGetDouble(out buy); break;
                default: valid &= reader.TryGetDouble(out sell); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Unterminated candle object.");
        }

        return valid && (seen & 0b111111) == 0b111111 && Candle.TryCreate(time, open, high, low, close, volume, buy, sell, out candle) == CandleRejection.None;
    }

    private static int Field(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("time"u8) ? 0
        : reader.ValueTextEquals("open"u8) ? 1
        : reader.ValueTextEquals("high"u8) ? 2
        : reader.ValueTextEquals("low"u8) ? 3
        : reader.ValueTextEquals("close"u8) ? 4
        : reader.ValueTextEquals("volume"u8) ? 5
        : reader.ValueTextEquals("buyVolume"u8) ? 6
        : reader.ValueTextEquals("sellVolume"u8) ? 7
        : -1;

    private static void WriteObject(Utf8JsonWriter w, in Candle candle)
    {
        w.WriteStartObject();
        w.WriteNumber("time"u8, candle.OpenTime);
        WriteNumber(w, "open"u8, candle.Open);
        WriteNumber(w, "high"u8, candle.High);
        WriteNumber(w, "low"u8, candle.Low);
        WriteNumber(w, "close"u8, candle.Close);
        WriteNumber(w, "volume"u8, candle.Volume);
        if (candle.HasFlow)
        {
            WriteNumber(w, "buyVolume"u8, candle.BuyVolume);
            WriteNumber(w, "sellVolume"u8, candle.SellVolume);
            WriteNumber(w, "delta"u8, candle.Delta);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Writes a number. Prices and volumes are almost always short decimals (2030.5, 0.125, 15000): those are written
    /// from an integer and a digit count, several times faster than the general shortest round-trip formatter that
    /// takes over for everything else. The text always parses back to the same double (see <see cref="TryFormatShortDecimal"/>).
    /// </summary>
    private static void WriteNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        Span<byte> text = stackalloc byte[32];
        if (TryFormatShortDecimal(value, text, out var length))
        {
            w.WritePropertyName(name);
            w.WriteRawValue(text[..length], skipInputValidation: true);
        }
        else if (value < 0 && TryFormatShortDecimal(-value, text[1..], out length))
        {
            // A negative delta.
            text[0] = (byte)'-';
            w.WritePropertyName(name);
            w.WriteRawValue(text[..(length + 1)], skipInputValidation: true);
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }

    private static readonly double[] s_pow10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

    /// <summary>
    /// Formats <paramref name="value"/> as <c>M·10^-k</c> with the smallest k ≤ 8 for which the integer M satisfies
    /// M / 10^k == value in double arithmetic. Since M and 10^k are exact doubles and division is correctly rounded,
    /// value is the double nearest the decimal M·10^-k, which is what any correct parser returns for the text.
    /// </summary>
    internal static bool TryFormatShortDecimal(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!(value >= 0 && value < 1e15))
        {
            return false;
        }

        for (var k = 0; k < s_pow10.Length; k++)
        {
            var scaled = value * s_pow10[k];
            if (scaled >= 9e15)
            {
                return false;
            }

            var m = Math.Round(scaled);
            if (m / s_pow10[k] != value)
            {
                continue;
            }

            Span<byte> digits = stackalloc byte[20];
            ((long)m).TryFormat(digits, out var count, default, System.Globalization.CultureInfo.InvariantCulture);
            if (k == 0)
            {
                digits[..count].CopyTo(destination);
                written = count;
                return true;
            }

            var pos = 0;
            var integerDigits = count - k;
            if (integerDigits <= 0)
            {
                destination[pos++] = (byte)'0';
                destination[pos++] = (byte)'.';
                for (var i = integerDigits; i < 0; i++)
                {
                    destination[pos++] = (byte)'0';
                }

                digits[..count].CopyTo(destination[pos..]);
                pos += count;
            }
            else
            {
                digits[..integerDigits].CopyTo(destination);
                pos = integerDigits;
                destination[pos++] = (byte)'.';
                digits[integerDigits..count].CopyTo(destination[pos..]);
                pos += k;
            }

            written = pos;
            return true;
        }

        return false;
    }

    private static Utf8JsonWriter Rent(IBufferWriter<byte> destination)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination, s_writerOptions);
            t_writer = writer;
        }
        else
        {
            writer.Reset(destination);
        }

        return writer;
    }
}
