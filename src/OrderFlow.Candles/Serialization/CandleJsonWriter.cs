using System.Buffers;
using System.Text.Json;

namespace OrderFlow.Candles.Serialization;

/// <summary>
/// Writes candles in OrderFlow's one candle JSON vocabulary, the shape the store keeps, the chart server sends and the
/// feed protocol carries: <c>{"time":1704067200,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15000}</c>.
/// A candle with order flow (<see cref="Candle.HasFlow"/>) also carries <c>"buyVolume"</c>, <c>"sellVolume"</c> and
/// <c>"delta"</c> (buy − sell) after <c>"volume"</c>; a candle without flow has none of the three, so its bytes are the
/// seed's and older readers (which ignore unknown fields) read both. <see cref="CandleJsonReader"/> reads it back.
/// </summary>
/// <remarks>
/// <para>
/// Numbers: short decimals (almost every price and volume) are written from an integer and a digit count, anything
/// else in the shortest round-trip form; either way the text parses back to the same <see cref="double"/>. Time is in
/// Unix seconds unless <see cref="CandleJsonTime.UnixMilliseconds"/> is asked for.
/// </para>
/// <para>
/// The methods that take an <see cref="IBufferWriter{T}"/> reuse one <see cref="Utf8JsonWriter"/> per thread, without
/// structural validation (this class only writes well-formed JSON), so they allocate nothing beyond what the
/// destination grows. Thread-safe.
/// </para>
/// </remarks>
public static class CandleJsonWriter
{
    // Only this class writes through it, and always a well-formed structure: validation is wasted work on 100,000 candles.
    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true, Indented = false };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes a JSON array of candles (times in Unix seconds) into a buffer.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="candles">The candles, in the order to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public static void WriteArray(IBufferWriter<byte> destination, ReadOnlySpan<Candle> candles)
    {
        var w = Rent(destination);
        WriteArray(w, candles);
        w.Flush();
    }

    /// <summary>Writes one candle object (time in Unix seconds) into a buffer.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="candle">The candle.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public static void WriteObject(IBufferWriter<byte> destination, in Candle candle)
    {
        var w = Rent(destination);
        WriteCandle(w, candle);
        w.Flush();
    }

    /// <summary>Writes a JSON array of candles (times in Unix seconds) as the next value of a JSON writer.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="candles">The candles, in the order to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (ref readonly var candle in candles)
        {
            WriteCandle(writer, candle);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one candle object as the next value of a JSON writer.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="candle">The candle.</param>
    /// <param name="time">The unit of <c>time</c>; Unix seconds by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public static void WriteCandle(Utf8JsonWriter writer, in Candle candle, CandleJsonTime time = CandleJsonTime.UnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteProperties(writer, candle, time);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a candle's properties (<c>time</c> to <c>volume</c>, then the order flow when the candle has it) into
    /// the object the JSON writer is in, for a caller that adds properties of its own to the candle object (a
    /// <c>"symbol"</c>, say), which readers of the vocabulary skip.
    /// </summary>
    /// <param name="writer">The JSON writer, inside an object.</param>
    /// <param name="candle">The candle.</param>
    /// <param name="time">The unit of <c>time</c>; Unix seconds by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public static void WriteProperties(Utf8JsonWriter writer, in Candle candle, CandleJsonTime time = CandleJsonTime.UnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber(CandleJsonFields.Time, TimeValue(candle.OpenTime, time));
        WriteNumber(writer, CandleJsonFields.Open, candle.Open);
        WriteNumber(writer, CandleJsonFields.High, candle.High);
        WriteNumber(writer, CandleJsonFields.Low, candle.Low);
        WriteNumber(writer, CandleJsonFields.Close, candle.Close);
        WriteNumber(writer, CandleJsonFields.Volume, candle.Volume);
        if (candle.HasFlow)
        {
            WriteNumber(writer, CandleJsonFields.BuyVolume, candle.BuyVolume);
            WriteNumber(writer, CandleJsonFields.SellVolume, candle.SellVolume);
            WriteNumber(writer, CandleJsonFields.Delta, candle.Delta);
        }
    }

    /// <summary>
    /// Writes a price or volume property in the vocabulary's number form: a short decimal when the value is one,
    /// otherwise the shortest round-trip form. The text always parses back to the same <see cref="double"/>.
    /// </summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="propertyName">The UTF-8 property name.</param>
    /// <param name="value">The value; finite, as every <see cref="Candle"/> value is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> propertyName, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[ShortDecimal.MaxLength];
        if (ShortDecimal.TryFormat(value, text, out var length))
        {
            writer.WritePropertyName(propertyName);
            writer.WriteRawValue(text[..length], skipInputValidation: true);
        }
        else if (value < 0 && ShortDecimal.TryFormat(-value, text[1..], out length))
        {
            // A negative delta.
            text[0] = (byte)'-';
            writer.WritePropertyName(propertyName);
            writer.WriteRawValue(text[..(length + 1)], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumber(propertyName, value);
        }
    }

    private static long TimeValue(long openTime, CandleJsonTime time)
    {
        if (time != CandleJsonTime.UnixMilliseconds)
        {
            return openTime;
        }

        // Times before 1973-03-03 stay in seconds: a reader takes values below the threshold as seconds anyway.
        var ms = openTime * 1000;
        return ms >= UnixTime.MillisecondsThreshold ? ms : openTime;
    }

    private static Utf8JsonWriter Rent(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination, s_options);
            t_writer = writer;
        }
        else
        {
            writer.Reset(destination);
        }

        return writer;
    }
}
