using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderFlow.Sync.Health;

namespace OrderFlow.Sync.DependencyInjection;

/// <summary>Adds the sync engine's health checks to the standard health-check service.</summary>
public static class CandleSyncHealthChecksBuilderExtensions
{
    /// <summary>The name of the feed check: connected, and a market message within <see cref="CandleSyncOptions.MaxMessageAge"/>.</summary>
    public const string FeedCheckName = "orderflow-sync-feed";

    /// <summary>The name of the store check: the last chart store write succeeded.</summary>
    public const string StoreCheckName = "orderflow-sync-store";

    /// <summary>
    /// Adds two checks of the <see cref="CandleSyncEngine"/> registered by
    /// <see cref="CandleSyncServiceCollectionExtensions.AddCandleSync"/>: <see cref="FeedCheckName"/> (Unhealthy when
    /// the feed is disconnected; Degraded when it is silent or backfilling) and <see cref="StoreCheckName"/>
    /// (Unhealthy when the last store write failed; Degraded before the first write).
    /// </summary>
    /// <param name="builder">The health checks builder (from <c>services.AddHealthChecks()</c>).</param>
    /// <param name="tags">Tags for both checks, to filter them (for example <c>ready</c>); none by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddCandleSyncChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray() ?? [];
        builder.Add(new HealthCheckRegistration(FeedCheckName, sp => new FeedHealthCheck(sp.GetRequiredService<CandleSyncEngine>()), failureStatus: null, tagList));
        builder.Add(new HealthCheckRegistration(StoreCheckName, sp => new StoreHealthCheck(sp.GetRequiredService<CandleSyncEngine>()), failureStatus: null, tagList));
        return builder;
    }
}
