using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.MarketData;

namespace OrderFlow.Databento.DependencyInjection;

/// <summary>Registers Databento as the market-data source with Microsoft.Extensions.DependencyInjection.</summary>
public static class DatabentoServiceCollectionExtensions
{
    /// <summary>The configuration section the options bind from by default: <c>Databento</c>.</summary>
    public const string DefaultSection = "Databento";

    /// <summary>The name of the <see cref="HttpClient"/> (IHttpClientFactory) the Historical client uses.</summary>
    public const string HistoricalHttpClientName = "OrderFlow.Databento.Historical";

    /// <summary>
    /// Registers <see cref="DatabentoMarketDataSource"/> as the <see cref="IMarketDataSource"/>, with
    /// <see cref="DatabentoMarketDataSourceOptions"/> and its <see cref="DatabentoMarketDataSourceOptions.Live"/>
    /// options bound from the same section (<c>Databento:ApiKey</c> — or <c>DATABENTO_API_KEY</c>, never logged —,
    /// <c>Databento:Dataset</c>, <c>Databento:Gateway</c>, <c>Databento:Roots</c>, …) and validated at start-up with
    /// messages that name the key. When <c>{section}:Historical:BaseAddress</c> is set, a
    /// <see cref="DatabentoHistoricalClient"/> answers history requests; otherwise histories are empty. Its calls go
    /// through the <see cref="HttpClient"/> named <see cref="HistoricalHttpClientName"/> with the standard resilience
    /// handler, its timeouts and retries from <c>{section}:Historical:AttemptTimeout</c>, <c>TotalRequestTimeout</c>
    /// and <c>MaxRetryAttempts</c> (<see cref="DatabentoHistoricalOptions"/>).
    /// </summary>
    /// <remarks>
    /// Register it before <c>AddCandleSync</c>, which then adds no feed client. With no <c>Roots</c> configured, fill
    /// them in a <c>PostConfigure</c> (the sync worker takes <c>Sync:Symbols</c>).
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configSectionPath">The configuration section; <c>Databento</c> by default.</param>
    /// <returns>The options builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configSectionPath"/> is empty.</exception>
    public static OptionsBuilder<DatabentoMarketDataSourceOptions> AddDatabentoMarketData(this IServiceCollection services, string configSectionPath = DefaultSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSectionPath);
        var builder = services.AddOptions<DatabentoMarketDataSourceOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var section = configuration.GetSection(configSectionPath);
                section.Bind(options);
                section.Bind(options.Live);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabentoMarketDataSourceOptions>, Validator>(
            sp => new Validator(configSectionPath, sp.GetService<IConfiguration>())));
        // Every Historical call goes through IHttpClientFactory and the standard resilience handler: a timeout per
        // attempt and in total, and retries with backoff, all from {section}:Historical.
        services.AddHttpClient(HistoricalHttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => HistoricalOptions(sp.GetService<IConfiguration>(), configSectionPath).ApplyTo(resilience));
        services.TryAddSingleton(sp =>
        {
            var live = sp.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value.Live;
            var baseAddress = HistoricalBaseAddress(sp.GetService<IConfiguration>(), configSectionPath);
            if (baseAddress is null)
            {
                return new HistoricalClientHolder(null);
            }

            var historical = HistoricalOptions(sp.GetService<IConfiguration>(), configSectionPath);
            historical.ApiKey = live.ApiKey;
            historical.BaseAddress = baseAddress;
            return new HistoricalClientHolder(new DatabentoHistoricalClient(
                historical,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(HistoricalHttpClientName),
                sp.GetService<ILogger<DatabentoHistoricalClient>>()));
        });
        services.AddSingleton<IMarketDataSource>(sp => new DatabentoMarketDataSource(
            sp.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value,
            sp.GetRequiredService<HistoricalClientHolder>().Client,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>The timeouts and retries of {section}:Historical (<c>AttemptTimeout</c>, <c>TotalRequestTimeout</c>, <c>MaxRetryAttempts</c>).</summary>
    private static DatabentoHistoricalOptions HistoricalOptions(IConfiguration? configuration, string section)
    {
        var options = new DatabentoHistoricalOptions();
        if (configuration?.GetSection(section + ":Historical") is { } historical)
        {
            historical.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }

        return options;
    }

    /// <summary>The configured Historical API address: absolute http(s) without credentials; <see langword="null"/> when empty or invalid.</summary>
    private static Uri? HistoricalBaseAddress(IConfiguration? configuration, string section) =>
        Uri.TryCreate(configuration?[section + ":Historical:BaseAddress"], UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0 ? uri : null;

    /// <summary>The optional Historical client (a holder, so that "none" is a registered answer the container disposes with the rest).</summary>
    private sealed class HistoricalClientHolder(DatabentoHistoricalClient? client) : IDisposable
    {
        public DatabentoHistoricalClient? Client { get; } = client;

        public void Dispose() => Client?.Dispose();
    }

    /// <summary>The Live options' own validator, its messages named by their configuration keys (<c>Databento:ApiKey …</c>).</summary>
    private sealed class Validator(string section, IConfiguration? configuration) : IValidateOptions<DatabentoMarketDataSourceOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabentoMarketDataSourceOptions options)
        {
            var failures = new List<string>();
            var live = new DatabentoLiveOptionsValidator().Validate(name, options.Live);
            if (live.Failed)
            {
                // The source derives its subscriptions from Roots when none are configured.
                failures.AddRange(live.Failures
                    .Where(f => options.Live.Subscriptions.Count > 0 || !f.StartsWith("Subscriptions is empty", StringComparison.Ordinal))
                    .Select(f => $"{section}:{f}"));
            }

            if (options.Roots.Count == 0 && options.Live.Subscriptions.Count == 0)
            {
                failures.Add($"{section}:Roots is empty: name the root symbols to subscribe (e.g. GC, ES).");
            }

            if (options.ContinuousRank < 0)
            {
                failures.Add($"{section}:ContinuousRank {options.ContinuousRank} must be 0 (front month) or more.");
            }

            if (options.BarReplay < TimeSpan.Zero || options.BarReplay > TimeSpan.FromHours(23))
            {
                failures.Add($"{section}:BarReplay {options.BarReplay} must be between 00:00:00 and 23:00:00 (Databento replays the last 24 hours).");
            }

            if (options.MaxQueuedTicks < 1)
            {
                failures.Add($"{section}:MaxQueuedTicks {options.MaxQueuedTicks} must be at least 1.");
            }

            var baseAddress = configuration?[section + ":Historical:BaseAddress"];
            if (!string.IsNullOrWhiteSpace(baseAddress) && HistoricalBaseAddress(configuration, section) is null)
            {
                failures.Add($"{section}:Historical:BaseAddress must be an absolute http:// or https:// URL without credentials, or empty for no history.");
            }
            else if (!string.IsNullOrWhiteSpace(baseAddress))
            {
                try
                {
                    failures.AddRange(HistoricalOptions(configuration, section).Validate(section + ":Historical:"));
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"{section}:Historical: {e.Message}");
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
