using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>Shared test setup: a synthetic market on a fake clock that starts on a trading Tuesday afternoon.</summary>
public static class TestMarket
{
    /// <summary>Tuesday 2 January 2024, 14:00:00 UTC: the market is open.</summary>
    public static readonly DateTimeOffset Start = new(2024, 1, 2, 14, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? Start);

    public static SyntheticMarket Create(FakeTimeProvider clock, Action<SyntheticMarketOptions>? configure = null)
    {
        var options = new SyntheticMarketOptions { Seed = 7 };
        configure?.Invoke(options);
        return new SyntheticMarket(options, clock);
    }

    /// <summary>A started server on a quiet synthetic market (the fake clock is not advanced unless the test does).</summary>
    public static async Task<FeedServer> StartServerAsync(FakeTimeProvider clock, Action<FeedServerOptions>? configure = null, Action<SyntheticMarketOptions>? market = null)
    {
        var options = new FeedServerOptions { TimeProvider = clock, DataSource = Create(clock, market) };
        configure?.Invoke(options);
        return await FeedServer.StartNewAsync(options);
    }

    public static Tick Tick(long timeMs, double price, double size = 1) => new(timeMs, price, size);

    public static void AssertValidSeries(IReadOnlyList<Candle> candles, Timeframe timeframe)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            Assert.Equal(0, c.OpenTime % timeframe.Seconds);
            Assert.True(c.Low > 0 && c.Low <= Math.Min(c.Open, c.Close) && c.High >= Math.Max(c.Open, c.Close), $"invalid OHLC {c}");
            Assert.True(c.Volume > 0, $"no volume {c}");
            if (i > 0)
            {
                Assert.True(candles[i - 1].OpenTime < c.OpenTime, $"not ascending at {i}: {candles[i - 1]} then {c}");
            }
        }
    }
}
