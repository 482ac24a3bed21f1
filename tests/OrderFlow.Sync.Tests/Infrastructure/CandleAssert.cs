using OrderFlow.Candles;

namespace OrderFlow.Sync.Tests.Infrastructure;

internal static class CandleAssert
{
    /// <summary>Ascending unique times aligned to the timeframe, low ≤ open/close ≤ high, volume ≥ 0, finite positive prices.</summary>
    public static void Invariants(IReadOnlyList<Candle> candles, Timeframe timeframe, string series)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            Assert.True(c.OpenTime % timeframe.Seconds == 0, $"{series}[{i}] not aligned: {WorkerHarness.Show(c)}");
            Assert.True(i == 0 || candles[i - 1].OpenTime < c.OpenTime, $"{series}[{i}] not strictly ascending");
            Assert.True(c.Low <= Math.Min(c.Open, c.Close) && Math.Max(c.Open, c.Close) <= c.High, $"{series}[{i}] OHLC invalid: {WorkerHarness.Show(c)}");
            Assert.True(c.Low > 0 && double.IsFinite(c.High), $"{series}[{i}] price invalid");
            Assert.True(c.Volume >= 0, $"{series}[{i}] negative volume");
        }
    }

    /// <summary>A plain OHLCV resample: first open, max high, min low, last close, summed volume, buy and sell volume per bucket.</summary>
    public static Candle[] NaiveResample(IEnumerable<Candle> fine, Timeframe target) =>
        fine.GroupBy(c => c.OpenTime - (((c.OpenTime % target.Seconds) + target.Seconds) % target.Seconds))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var list = g.OrderBy(c => c.OpenTime).ToList();
                return Candle.Create(g.Key, list[0].Open, list.Max(c => c.High), list.Min(c => c.Low), list[^1].Close, list.Sum(c => c.Volume), list.Sum(c => c.BuyVolume), list.Sum(c => c.SellVolume));
            })
            .ToArray();
}
