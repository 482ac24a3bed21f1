using OrderFlow.Candles;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>The intervals a chart lacks, for markets that trade around the clock (every interval has a candle).</summary>
internal static class ChartGaps
{
    /// <summary>The open times between the chart's first and last candle that have no candle, ascending.</summary>
    public static List<long> Missing(IReadOnlyList<Candle> chart, Timeframe timeframe)
    {
        var missing = new List<long>();
        for (var i = 1; i < chart.Count; i++)
        {
            for (var t = chart[i - 1].OpenTime + timeframe.Seconds; t < chart[i].OpenTime; t += timeframe.Seconds)
            {
                missing.Add(t);
            }
        }

        return missing;
    }

    /// <summary>"n missing: first … last" for an assertion message.</summary>
    public static string Describe(IReadOnlyList<long> missing) => missing.Count == 0
        ? "none missing"
        : $"{missing.Count} missing: {DateTimeOffset.FromUnixTimeSeconds(missing[0]):u} … {DateTimeOffset.FromUnixTimeSeconds(missing[^1]):u}";
}
