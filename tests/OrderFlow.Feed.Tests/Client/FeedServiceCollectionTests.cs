using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.DependencyInjection;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Tests.Client;

public class FeedServiceCollectionTests
{
    private static ServiceProvider Build(params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFeedClient();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddFeedClient_BindsTheFeedSection_AndRegistersTheSource()
    {
        await using var provider = Build(new("Feed:Url", "ws://127.0.0.1:9000/"), new("Feed:PingInterval", "00:00:30"), new("Feed:IdleTimeout", "00:01:00"));
        var options = provider.GetRequiredService<IOptions<FeedClientOptions>>().Value;
        Assert.Equal(new Uri("ws://127.0.0.1:9000/"), options.Url);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PingInterval);
        var source = provider.GetRequiredService<IMarketDataSource>();
        Assert.Same(provider.GetRequiredService<FeedClient>(), source);
    }

    [Fact]
    public async Task AddFeedClient_InvalidConfiguration_FailsValidationNamingTheKey()
    {
        await using var provider = Build(new KeyValuePair<string, string?>("Feed:Url", "http://not-a-websocket/"));
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FeedClientOptions>>().Value);
        Assert.Contains("Feed:Url", ex.Message, StringComparison.Ordinal);
    }
}
