using System.Text.Json;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The one check a stored chart gets on its way to the pages, made once per stored version (when the response cache
/// takes a new version in), never per request: the value is a JSON array of objects whose <c>time</c> is an integer
/// and strictly increasing. An unsorted or duplicated bar would make lightweight-charts refuse the whole series, so
/// such a chart is refused as corrupt (502) instead of reaching a page.
/// </summary>
/// <remarks>
/// One forward pass of <see cref="Utf8JsonReader"/> over the bytes, allocating nothing (about a millisecond per
/// 100,000 candles): the candles' other fields are not read, because the store's writer (the sync engine, through
/// <c>CandleJsonWriter</c>) is trusted for them and the engine validates every stored chart when it starts. What this
/// catches is what that trust does not cover: another writer, a truncated or hand-edited value.
/// </remarks>
internal static class StoredChartCheck
{
    /// <summary>Null when the chart can be sent; else why not: <c>invalid</c> (not an array of candle objects) or <c>unsorted</c>.</summary>
    public static string? Check(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return "invalid";
            }

            var previous = long.MinValue;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return "invalid";
                }

                long? time = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    // A property name, then its value.
                    var isTime = reader.ValueTextEquals("time"u8);
                    if (!reader.Read())
                    {
                        return "invalid";
                    }

                    if (isTime)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var t))
                        {
                            return "invalid";
                        }

                        time = t;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (time is not { } current)
                {
                    return "invalid";
                }

                if (current <= previous)
                {
                    return "unsorted";
                }

                previous = current;
            }

            // Anything after the array (or an array that never ends) makes the reader throw or stop short.
            return reader.TokenType == JsonTokenType.EndArray && !reader.Read() ? null : "invalid";
        }
        catch (JsonException)
        {
            return "invalid";
        }
    }
}
