using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Feed.Client;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.DependencyInjection;

/// <summary>Registers the feed client with Microsoft.Extensions.DependencyInjection.</summary>
public static class FeedServiceCollectionExtensions
{
    /// <summary>The configuration section the options bind from by default: <c>Feed</c> (so <c>Feed:Url</c>, <c>Feed__Url</c>).</summary>
    public const string DefaultSection = "Feed";

    /// <summary>
    /// Registers <see cref="FeedClient"/> as the singleton <see cref="IMarketDataSource"/>, with
    /// <see cref="FeedClientOptions"/> bound from the <paramref name="configSectionPath"/> configuration section and
    /// validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configSectionPath">The configuration section; <c>Feed</c> by default.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The options builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static OptionsBuilder<FeedClientOptions> AddFeedClient(this IServiceCollection services, string configSectionPath = DefaultSection, Action<FeedClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<FeedClientOptions>().BindConfiguration(configSectionPath);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeedClientOptions>, FeedClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new FeedClient(
            sp.GetRequiredService<IOptions<FeedClientOptions>>(),
            sp.GetService<ILogger<FeedClient>>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IMarketDataSource>(sp => sp.GetRequiredService<FeedClient>());
        return builder;
    }
}
