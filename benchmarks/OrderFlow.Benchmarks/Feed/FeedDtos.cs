using System.Text.Json.Serialization;

namespace OrderFlow.Benchmarks.Feed;

/// <summary>The "plain" way to read a feed frame: a DTO for JsonSerializer, copied into domain values after.</summary>
public sealed class FeedMessageDto
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("symbol")]
    public string? Symbol { get; set; }

    [JsonPropertyName("timeframe")]
    public string? Timeframe { get; set; }

    [JsonPropertyName("data")]
    public CandleDto? Data { get; set; }

    [JsonPropertyName("candles")]
    public List<CandleDto>? Candles { get; set; }

    [JsonPropertyName("price")]
    public double? Price { get; set; }

    [JsonPropertyName("size")]
    public double? Size { get; set; }

    [JsonPropertyName("time")]
    public long? Time { get; set; }
}

/// <summary>A candle as JsonSerializer reads it.</summary>
public sealed class CandleDto
{
    [JsonPropertyName("time")]
    public long Time { get; set; }

    [JsonPropertyName("open")]
    public double Open { get; set; }

    [JsonPropertyName("high")]
    public double High { get; set; }

    [JsonPropertyName("low")]
    public double Low { get; set; }

    [JsonPropertyName("close")]
    public double Close { get; set; }

    [JsonPropertyName("volume")]
    public double Volume { get; set; }

    /// <summary>The order flow's buy volume; left out when 0, so candles without flow serialize as before.</summary>
    [JsonPropertyName("buyVolume")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double BuyVolume { get; set; }

    /// <summary>The order flow's sell volume; left out when 0, so candles without flow serialize as before.</summary>
    [JsonPropertyName("sellVolume")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double SellVolume { get; set; }

    /// <summary>The DTO of a candle, time in Unix seconds (the chart store's shape).</summary>
    public static CandleDto From(OrderFlow.Candles.Candle c) =>
        new() { Time = c.OpenTime, Open = c.Open, High = c.High, Low = c.Low, Close = c.Close, Volume = c.Volume };

    /// <summary>The DTOs of a series, time in Unix seconds.</summary>
    public static List<CandleDto> From(OrderFlow.Candles.Candle[] candles) => candles.Select(From).ToList();
}
