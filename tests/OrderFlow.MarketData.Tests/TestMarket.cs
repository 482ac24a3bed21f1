using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Tests;

/// <summary>
/// Shared test setup: a synthetic market on a fake clock that starts on a trading Tuesday afternoon, and a collector
/// for what an in-process source streams. Linked into the Feed.Testing and Databento tests, whose sources and server
/// run on the same market and clock.
/// </summary>
public static class TestMarket
{
    /// <summary>Tuesday 2 January 2024, 14:00:00 UTC: the market is open.</summary>
    public static readonly DateTimeOffset Start = new(2024, 1, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>The longest any single wait of a test lasts (generous, for a loaded machine).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? Start);

    public static SyntheticMarket Create(FakeTimeProvider clock, Action<SyntheticMarketOptions>? configure = null)
    {
        var options = new SyntheticMarketOptions { Seed = 7 };
        configure?.Invoke(options);
        return new SyntheticMarket(options, clock);
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

    /// <summary>
    /// Streams while the fake clock advances in steps, each of which must have trades due; returns every event.
    /// After each step the stream is drained until it waits on the clock again (a MoveNext that does not complete
    /// synchronously), so nothing is waited for blindly.
    /// </summary>
    public static async Task<List<MarketDataEvent>> CollectAsync(InProcessMarketDataSource source, FakeTimeProvider clock, TimeSpan duration, TimeSpan? step = null)
    {
        var events = new List<MarketDataEvent>();
        using var cts = new CancellationTokenSource();
        await using var enumerator = source.StreamAsync(cts.Token).GetAsyncEnumerator();
        var pending = enumerator.MoveNextAsync().AsTask();
        var end = clock.GetUtcNow() + duration;
        while (clock.GetUtcNow() < end)
        {
            var advance = step ?? TimeSpan.FromSeconds(30);
            clock.Advance(advance < end - clock.GetUtcNow() ? advance : end - clock.GetUtcNow());
            if (!await pending.WaitAsync(DefaultTimeout))
            {
                return events; // a finite source ended
            }

            events.Add(enumerator.Current);
            while (true)
            {
                var next = enumerator.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    pending = next.AsTask();
                    break;
                }

                if (!next.Result)
                {
                    return events;
                }

                events.Add(enumerator.Current);
            }
        }

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        return events;
    }
}
