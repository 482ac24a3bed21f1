using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.DependencyInjection;

/// <summary>
/// The start-up check that an <see cref="IMarketDataSource"/> is registered: an options type with no settings,
/// validated on start, so that a host that forgot its source stops at start-up with one message naming the
/// registrations, instead of when the engine is first resolved, and without failing any other options access.
/// </summary>
internal sealed class MarketDataSourceRegistration
{
    /// <summary>Asks the container whether the service exists, without creating it (a source may connect when created).</summary>
    internal sealed class Validator(IServiceProviderIsService services) : IValidateOptions<MarketDataSourceRegistration>
    {
        public ValidateOptionsResult Validate(string? name, MarketDataSourceRegistration options) =>
            services.IsService(typeof(IMarketDataSource))
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(CandleSyncServiceCollectionExtensions.MissingSourceMessage);
    }
}
