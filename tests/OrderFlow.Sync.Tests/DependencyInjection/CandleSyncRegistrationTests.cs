using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.MarketData;
using OrderFlow.Sync.DependencyInjection;
using OrderFlow.Sync.Tests.Engine;

namespace OrderFlow.Sync.Tests.DependencyInjection;

/// <summary>
/// <c>AddCandleSync</c> registers the engine and never a source: the host registers exactly one, before or after it,
/// and a host that registers none fails at start-up with one message naming the registrations.
/// </summary>
public sealed class CandleSyncRegistrationTests
{
    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Feed:Url"] = "ws://127.0.0.1:9/" }).Build());
        services.AddLogging();
        return services;
    }

    [Fact]
    public void AddCandleSync_RegistersNoSource_EvenWithAFeedUrlConfigured()
    {
        var services = Services();
        services.AddCandleSync();

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IMarketDataSource));
    }

    [Fact]
    public async Task AddCandleSync_WithoutASource_FailsAtStartUp_WithOneMessageNamingTheRegistrations()
    {
        var services = Services();
        services.AddCandleSync();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = Assert.Single(error.Failures);
        Assert.StartsWith("No market-data source is registered for the sync engine", message, StringComparison.Ordinal);
        Assert.Contains("services.AddFeedClient()", message, StringComparison.Ordinal);
        Assert.Contains("services.AddDatabentoMarketData()", message, StringComparison.Ordinal);
        Assert.Contains("SyntheticMarket", message, StringComparison.Ordinal);

        // Resolving the engine anyway says the same.
        var engine = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<CandleSyncEngine>());
        Assert.Equal(message, engine.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddCandleSync_WithASourceRegisteredBeforeOrAfter_UsesIt(bool before)
    {
        var services = Services();
        var source = new FakeSource();
        if (before)
        {
            services.AddSingleton<IMarketDataSource>(source);
        }

        services.AddCandleSync();
        if (!before)
        {
            services.AddSingleton<IMarketDataSource>(source);
        }

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Same(source, provider.GetRequiredService<IMarketDataSource>());
        Assert.NotNull(provider.GetRequiredService<CandleSyncEngine>());
    }
}
