using System.Buffers;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The JSON envelopes the pages receive around candles, which are in OrderFlow's one candle vocabulary
/// (<see cref="CandleJsonWriter"/>: <c>{"time":1704067200,"open":…,"high":…,"low":…,"close":…,"volume":…}</c> with the
/// open time in Unix seconds, lightweight-charts' <c>UTCTimestamp</c>, plus <c>"buyVolume"</c>, <c>"sellVolume"</c>
/// and <c>"delta"</c> after <c>"volume"</c> for a candle with order flow).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/chart/{symbol}/{tf}</c>: <c>{"symbol":"GC","timeframe":"1m","candles":[…]}</c>, where <c>[…]</c>
/// is the stored value byte for byte (<see cref="ChartPrefix"/> + stored + <see cref="Suffix"/>).</item>
/// <item><c>GET /api/live/{symbol}/{tf}</c>: <c>{"symbol":"GC","timeframe":"1m","current":{…}|null,"buffer":[…]}</c>.</item>
/// <item>WebSocket: <c>{"type":"subscribed","symbol":"GC","timeframe":"1m"}</c> once the store subscription is
/// active, then <c>{"type":"candle","symbol":"GC","timeframe":"1m","candle":{…}}</c> per update, where <c>{…}</c> is
/// the published candle byte for byte (<see cref="CandleMessagePrefix"/> + published + <see cref="Suffix"/>).</item>
/// </list>
/// </remarks>
internal static class ApiJson
{
    // Envelopes are written open-ended (a property name without its value), which a validating writer refuses.
    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true };

    /// <summary>What closes every envelope that ends with passed-through candle bytes.</summary>
    public static ReadOnlySpan<byte> Suffix => "}"u8;

    /// <summary><c>{"symbol":"GC","timeframe":"1m","candles":</c>: the chart envelope up to the stored array.</summary>
    public static byte[] ChartPrefix(SeriesKey key) => Write(w =>
    {
        w.WriteStartObject();
        WriteSeries(w, key);
        w.WritePropertyName("candles"u8);
    });

    /// <summary><c>{"type":"candle","symbol":"GC","timeframe":"1m","candle":</c>: a live message up to the published candle.</summary>
    public static byte[] CandleMessagePrefix(SeriesKey key) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "candle"u8);
        WriteSeries(w, key);
        w.WritePropertyName("candle"u8);
    });

    /// <summary>The whole <c>{"type":"subscribed",…}</c> message.</summary>
    public static byte[] SubscribedMessage(SeriesKey key) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "subscribed"u8);
        WriteSeries(w, key);
        w.WriteEndObject();
    });

    /// <summary>The <c>/api/live</c> answer: the current candle (or null) and the live buffer.</summary>
    public static void WriteLive(IBufferWriter<byte> output, SeriesKey key, Candle? current, ReadOnlySpan<Candle> buffer)
    {
        using var w = new Utf8JsonWriter(output, s_options);
        w.WriteStartObject();
        WriteSeries(w, key);
        w.WritePropertyName("current"u8);
        if (current is { } candle)
        {
            CandleJsonWriter.WriteCandle(w, candle);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("buffer"u8);
        CandleJsonWriter.WriteArray(w, buffer);
        w.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter w, SeriesKey key)
    {
        w.WriteString("symbol"u8, key.Symbol.Value);
        w.WriteString("timeframe"u8, key.Timeframe.Name);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(96);
        using (var w = new Utf8JsonWriter(output, s_options))
        {
            write(w);
        }

        return output.WrittenSpan.ToArray();
    }
}
