using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Databento;
using OrderFlow.Feed;
using OrderFlow.Sync;

namespace OrderFlow.SyncWorker;

/// <summary>
/// <c>Source=databento</c>: the market data comes straight from Databento (<see cref="DatabentoMarketDataSource"/>)
/// instead of the WebSocket feed. Settings under <c>Databento</c>: the <see cref="DatabentoLiveOptions"/> keys
/// (<c>ApiKey</c> — or <c>DATABENTO_API_KEY</c>, never logged —, <c>Dataset</c> (GLBX.MDP3), <c>Gateway</c>, <c>Port</c>,
/// <c>HeartbeatInterval</c>, …), the <see cref="DatabentoMarketDataSourceOptions"/> keys (<c>IncludeTrades</c>,
/// <c>ContinuousRank</c>, <c>MaxQueuedTicks</c>) and <c>Historical:BaseAddress</c> (set → history from the Historical API;
/// empty → empty histories, which the engine fills by aggregation). The roots are <c>Sync:Symbols</c>.
/// </summary>
internal static class DatabentoSource
{
    public const string SectionName = "Databento";

    public const string HistoricalBaseAddressKey = SectionName + ":Historical:BaseAddress";

    /// <summary>Registers the Databento source as the <see cref="IMarketDataSource"/>; call before <c>AddCandleSync</c>.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        services.AddOptions<DatabentoMarketDataSourceOptions>()
            .Configure(o =>
            {
                section.Bind(o);
                section.Bind(o.Live);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabentoMarketDataSourceOptions>>(new Validator(configuration)));

        if (!string.IsNullOrWhiteSpace(configuration[HistoricalBaseAddressKey]))
        {
            services.AddSingleton(sp =>
            {
                var live = sp.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value.Live;
                var options = new DatabentoHistoricalOptions { ApiKey = live.ApiKey, BaseAddress = ParseBaseAddress(configuration[HistoricalBaseAddressKey])! };
                return new DatabentoHistoricalClient(options, logger: sp.GetService<ILogger<DatabentoHistoricalClient>>());
            });
        }

        services.AddSingleton<IMarketDataSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value;
            if (options.Roots.Count == 0)
            {
                foreach (var symbol in sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value.Symbols)
                {
                    options.Roots.Add(symbol);
                }
            }

            return new DatabentoMarketDataSource(options, sp.GetService<DatabentoHistoricalClient>(), sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>());
        });
    }

    /// <summary>A description for the start-up log line: dataset, gateway and history, never the key.</summary>
    public static string Describe(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var live = new DatabentoLiveOptions();
        live.Dataset = section[nameof(DatabentoLiveOptions.Dataset)] is { Length: > 0 } dataset ? dataset : live.Dataset;
        live.Gateway = section[nameof(DatabentoLiveOptions.Gateway)];
        var port = section[nameof(DatabentoLiveOptions.Port)] is { Length: > 0 } p ? p : live.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var history = ParseBaseAddress(configuration[HistoricalBaseAddressKey]) is { } uri ? $"{uri.Scheme}://{uri.Authority}" : "off";
        return $"dataset {live.Dataset}, gateway {live.GetGatewayHost()}:{port}, history {history}";
    }

    private static Uri? ParseBaseAddress(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0 ? uri : null;

    /// <summary>The Live options' own validator, its messages named by their configuration keys (<c>Databento:ApiKey …</c>).</summary>
    private sealed class Validator(IConfiguration configuration) : IValidateOptions<DatabentoMarketDataSourceOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabentoMarketDataSourceOptions options)
        {
            var failures = new List<string>();
            var live = new DatabentoLiveOptionsValidator().Validate(name, options.Live);
            if (live.Failed)
            {
                // Subscriptions are derived from Sync:Symbols when none are configured.
                failures.AddRange(live.Failures
                    .Where(f => options.Live.Subscriptions.Count > 0 || !f.StartsWith("Subscriptions is empty", StringComparison.Ordinal))
                    .Select(f => $"{SectionName}:{f}"));
            }

            if (options.ContinuousRank < 0)
            {
                failures.Add($"{SectionName}:ContinuousRank {options.ContinuousRank} must be 0 (front month) or more.");
            }

            if (options.MaxQueuedTicks < 1)
            {
                failures.Add($"{SectionName}:MaxQueuedTicks {options.MaxQueuedTicks} must be at least 1.");
            }

            if (configuration[HistoricalBaseAddressKey] is { } baseAddress && !string.IsNullOrWhiteSpace(baseAddress) && ParseBaseAddress(baseAddress) is null)
            {
                failures.Add($"{HistoricalBaseAddressKey} must be an absolute http:// or https:// URL without credentials, or empty for no history.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
