using System.Buffers;
using System.Text.Json;
using OrderFlow.Candles;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The JSON the pages receive. A candle is the seed's shape, <c>{"time":1704067200,"open":…,"high":…,"low":…,
/// "close":…,"volume":…}</c>, with the open time in Unix seconds (lightweight-charts' <c>UTCTimestamp</c>). A candle
/// with order flow (<see cref="Candle.HasFlow"/>) also carries <c>"buyVolume"</c>, <c>"sellVolume"</c> and
/// <c>"delta"</c> (buy − sell) after <c>"volume"</c>; a candle without flow has none of the three, so its bytes are
/// the seed's. This holds for every candle below: the chart array, the live current candle and buffer, and the
/// WebSocket candle messages.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/chart/{symbol}/{tf}</c>: <c>{"symbol":"GC","timeframe":"1m","candles":[…]}</c>.</item>
/// <item><c>GET /api/live/{symbol}/{tf}</c>: <c>{"symbol":"GC","timeframe":"1m","current":{…}|null,"buffer":[…]}</c>.</item>
/// <item>WebSocket: <c>{"type":"subscribed","symbol":"GC","timeframe":"1m"}</c> once the store subscription is
/// active, then <c>{"type":"candle","symbol":"GC","timeframe":"1m","candle":{…}}</c> per update.</item>
/// </list>
/// Written with <see cref="Utf8JsonWriter"/> straight from the validated <see cref="Candle"/> values.
/// </remarks>
internal static class CandleWire
{
    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true };

    public static void WriteChart(IBufferWriter<byte> output, SeriesKey key, ReadOnlySpan<Candle> candles)
    {
        using var w = new Utf8JsonWriter(output, s_options);
        w.WriteStartObject();
        WriteSeries(w, key);
        w.WritePropertyName("candles"u8);
        WriteArray(w, candles);
        w.WriteEndObject();
    }

    public static void WriteLive(IBufferWriter<byte> output, SeriesKey key, Candle? current, ReadOnlySpan<Candle> buffer)
    {
        using var w = new Utf8JsonWriter(output, s_options);
        w.WriteStartObject();
        WriteSeries(w, key);
        w.WritePropertyName("current"u8);
        if (current is { } candle)
        {
            WriteCandle(w, candle);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("buffer"u8);
        WriteArray(w, buffer);
        w.WriteEndObject();
    }

    public static byte[] CandleMessage(SeriesKey key, in Candle candle)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(output, s_options))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "candle"u8);
            WriteSeries(w, key);
            w.WritePropertyName("candle"u8);
            WriteCandle(w, candle);
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    public static byte[] SubscribedMessage(SeriesKey key)
    {
        var output = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(output, s_options))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "subscribed"u8);
            WriteSeries(w, key);
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteSeries(Utf8JsonWriter w, SeriesKey key)
    {
        w.WriteString("symbol"u8, key.Symbol.Value);
        w.WriteString("timeframe"u8, key.Timeframe.Name);
    }

    private static void WriteArray(Utf8JsonWriter w, ReadOnlySpan<Candle> candles)
    {
        w.WriteStartArray();
        foreach (ref readonly var candle in candles)
        {
            WriteCandle(w, candle);
        }

        w.WriteEndArray();
    }

    private static void WriteCandle(Utf8JsonWriter w, in Candle candle)
    {
        w.WriteStartObject();
        w.WriteNumber("time"u8, candle.OpenTime);
        w.WriteNumber("open"u8, candle.Open);
        w.WriteNumber("high"u8, candle.High);
        w.WriteNumber("low"u8, candle.Low);
        w.WriteNumber("close"u8, candle.Close);
        w.WriteNumber("volume"u8, candle.Volume);
        if (candle.HasFlow)
        {
            w.WriteNumber("buyVolume"u8, candle.BuyVolume);
            w.WriteNumber("sellVolume"u8, candle.SellVolume);
            w.WriteNumber("delta"u8, candle.Delta);
        }

        w.WriteEndObject();
    }
}
