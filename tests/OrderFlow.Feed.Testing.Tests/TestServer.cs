using Microsoft.Extensions.Time.Testing;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>A feed server on the tests' synthetic market (<see cref="TestMarket"/>).</summary>
public static class TestServer
{
    /// <summary>A started server on a quiet synthetic market (the fake clock is not advanced unless the test does).</summary>
    public static async Task<FeedServer> StartAsync(FakeTimeProvider clock, Action<FeedServerOptions>? configure = null, Action<SyntheticMarketOptions>? market = null)
    {
        var options = new FeedServerOptions { TimeProvider = clock, DataSource = TestMarket.Create(clock, market) };
        configure?.Invoke(options);
        return await FeedServer.StartNewAsync(options);
    }
}
