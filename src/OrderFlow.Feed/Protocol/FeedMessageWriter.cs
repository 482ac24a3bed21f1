using System.Buffers;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Serialization;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// Encodes feed protocol messages as UTF-8 JSON into an <see cref="IBufferWriter{T}"/>: the client's requests and
/// the server's answers. Times go on the wire in Unix milliseconds; candles, prices and sizes in OrderFlow's one candle
/// JSON vocabulary (<see cref="CandleJsonWriter"/>: the field names and number form the store and the chart server use).
/// </summary>
/// <remarks>
/// One <see cref="Utf8JsonWriter"/> is cached per thread and reset onto each destination, so writing allocates nothing
/// beyond what the destination itself grows.
/// </remarks>
public static class FeedMessageWriter
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <c>{"type":"get_history","symbol":…,"timeframe":…,"bars":…}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="bars">How many bars to ask for.</param>
    public static void WriteGetHistory(IBufferWriter<byte> destination, Symbol symbol, Timeframe timeframe, int bars)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, "get_history"u8);
        WriteSymbolAndTimeframe(w, symbol, timeframe);
        w.WriteNumber("bars"u8, bars);
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>Writes <c>{"type":"ping"}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    public static void WritePing(IBufferWriter<byte> destination) => WriteTypeOnly(destination, "ping"u8);

    /// <summary>Writes <c>{"type":"pong"}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    public static void WritePong(IBufferWriter<byte> destination) => WriteTypeOnly(destination, "pong"u8);

    /// <summary>Writes <c>{"type":"error","message":…}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="message">The message text.</param>
    public static void WriteError(IBufferWriter<byte> destination, string message)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>Writes <c>{"type":"candle","symbol":…,"timeframe":…,"data":{…}}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="candle">The candle.</param>
    public static void WriteCandle(IBufferWriter<byte> destination, Symbol symbol, Timeframe timeframe, in Candle candle)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, "candle"u8);
        WriteSymbolAndTimeframe(w, symbol, timeframe);
        w.WritePropertyName("data"u8);
        WriteCandleObject(w, candle);
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>
    /// Writes <c>{"type":"tick","symbol":…,"price":…,"size":…,"time":…}</c>, followed by <c>"side":"B"</c> (buy
    /// aggressor) or <c>"side":"A"</c> (sell aggressor) when <see cref="Tick.Side"/> is known; a tick without a side
    /// is written exactly as before the field existed.
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="symbol">The symbol.</param>
    /// <param name="tick">The trade; its event time and side are written.</param>
    /// <param name="includeTime">Whether to write <c>time</c> (the protocol allows it to be absent).</param>
    public static void WriteTick(IBufferWriter<byte> destination, Symbol symbol, in Tick tick, bool includeTime = true)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, "tick"u8);
        w.WriteString("symbol"u8, symbol.Value);
        CandleJsonWriter.WriteNumber(w, "price"u8, tick.Price);
        CandleJsonWriter.WriteNumber(w, "size"u8, tick.Size);
        if (includeTime)
        {
            w.WriteNumber("time"u8, tick.EventTimeMs);
        }

        switch (tick.Side)
        {
            case AggressorSide.Buy:
                w.WriteString("side"u8, "B"u8);
                break;
            case AggressorSide.Sell:
                w.WriteString("side"u8, "A"u8);
                break;
        }

        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>Writes <c>{"type":"historical_candles","symbol":…,"timeframe":…,"candles":[…]}</c>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="candles">The candles, in the order to send.</param>
    public static void WriteHistory(IBufferWriter<byte> destination, Symbol symbol, Timeframe timeframe, ReadOnlySpan<Candle> candles)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, "historical_candles"u8);
        WriteSymbolAndTimeframe(w, symbol, timeframe);
        w.WriteStartArray("candles"u8);
        foreach (ref readonly var candle in candles)
        {
            WriteCandleObject(w, candle);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>
    /// Writes one candle as <c>{"time":ms,"open":…,"high":…,"low":…,"close":…,"volume":…}</c>, followed by
    /// <c>"buyVolume":…,"sellVolume":…,"delta":…</c> when the candle has order flow (<see cref="Candle.HasFlow"/>); a
    /// candle without flow is written exactly as before the fields existed.
    /// </summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="candle">The candle.</param>
    public static void WriteCandleObject(Utf8JsonWriter writer, in Candle candle) =>
        CandleJsonWriter.WriteCandle(writer, candle, CandleJsonTime.UnixMilliseconds);

    private static void WriteSymbolAndTimeframe(Utf8JsonWriter w, Symbol symbol, Timeframe timeframe)
    {
        w.WriteString("symbol"u8, symbol.Value);
        Span<byte> tf = stackalloc byte[3];
        timeframe.TryFormat(tf, out var written, default, null);
        w.WriteString("timeframe"u8, tf[..written]);
    }

    private static void WriteTypeOnly(IBufferWriter<byte> destination, ReadOnlySpan<byte> type)
    {
        var w = Rent(destination);
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteEndObject();
        w.Flush();
    }

    private static Utf8JsonWriter Rent(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(destination, new JsonWriterOptions { SkipValidation = false, Indented = false });
            t_writer = writer;
        }
        else
        {
            writer.Reset(destination);
        }

        return writer;
    }
}
