using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Redis.DependencyInjection;
using OrderFlow.Sync.Rules;

namespace OrderFlow.Sync.DependencyInjection;

/// <summary>Registers the sync engine with Microsoft.Extensions.DependencyInjection and the Generic Host.</summary>
public static class CandleSyncServiceCollectionExtensions
{
    /// <summary>The configuration section the options bind from by default: <c>Sync</c>.</summary>
    public const string DefaultSection = "Sync";

    /// <summary>
    /// The start-up error when no <see cref="IMarketDataSource"/> is registered: it names the registrations that
    /// provide one.
    /// </summary>
    internal const string MissingSourceMessage =
        "No market-data source is registered for the sync engine: register exactly one IMarketDataSource — "
        + "services.AddFeedClient() (OrderFlow.Feed, a WebSocket feed), services.AddDatabentoMarketData() (OrderFlow.Databento), "
        + "or services.AddSingleton<IMarketDataSource>(…) with a SyntheticMarket (OrderFlow.MarketData), a DbnReplaySource "
        + "(OrderFlow.Databento) or your own source.";

    private static readonly char[] s_listSeparators = [',', ';', ' '];

    /// <summary>
    /// Registers the sync engine as a hosted service (<see cref="CandleSyncEngine"/>, also resolvable as a singleton)
    /// with <see cref="CandleSyncOptions"/> bound from <paramref name="configSectionPath"/> and validated at start-up,
    /// together with the chart store (<c>AddChartStore</c>, section <c>Redis</c>; an <see cref="IChartStore"/>
    /// registered before is shared, not replaced) and the rules table (section <c>Rules</c>, see
    /// <see cref="CandleRuleBookConfiguration"/>; a <see cref="CandleRuleBook"/> registered before wins).
    /// </summary>
    /// <remarks>
    /// The market-data source is the host's choice, registered with its own one call, before or after this one:
    /// <c>AddFeedClient()</c> (OrderFlow.Feed), <c>AddDatabentoMarketData()</c> (OrderFlow.Databento), or an
    /// <see cref="IMarketDataSource"/> singleton such as the synthetic market or a DBN replay. None registered fails
    /// the start-up validation with one message naming these.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configSectionPath">The configuration section of the options; <c>Sync</c> by default.</param>
    /// <returns>The options builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configSectionPath"/> is empty.</exception>
    public static OptionsBuilder<CandleSyncOptions> AddCandleSync(this IServiceCollection services, string configSectionPath = DefaultSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSectionPath);
        services.AddChartStore();

        var builder = services.AddOptions<CandleSyncOptions>().BindConfiguration(configSectionPath);
        builder.PostConfigure<IServiceProvider>((options, sp) => ApplyDefaults(options, sp.GetService<IConfiguration>()?.GetSection(configSectionPath)));
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CandleSyncOptions>, CandleSyncOptionsValidator>(
            sp => new CandleSyncOptionsValidator(configSectionPath, sp.GetService<IConfiguration>(), CandleRuleBookConfiguration.DefaultSection, LiveTtl(sp))));
        services.AddOptions<MarketDataSourceRegistration>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MarketDataSourceRegistration>, MarketDataSourceRegistration.Validator>());

        services.TryAddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration
            ? CandleRuleBookConfiguration.Load(configuration.GetSection(CandleRuleBookConfiguration.DefaultSection))
            : CandleRuleBook.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CandleSyncEngine(
            sp.GetService<IMarketDataSource>() ?? throw new InvalidOperationException(MissingSourceMessage),
            sp.GetRequiredService<IChartStore>(),
            sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value,
            sp.GetRequiredService<CandleRuleBook>(),
            sp.GetService<ILogger<CandleSyncEngine>>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<IOptions<ChartStoreOptions>>()?.Value.CurrentTtl));
        services.AddHostedService(sp => sp.GetRequiredService<CandleSyncEngine>());
        return builder;
    }

    /// <summary>The chart store's live TTL, which bounds the live-write interval; null when its options are invalid (their own validation reports that).</summary>
    private static TimeSpan? LiveTtl(IServiceProvider sp)
    {
        try
        {
            return sp.GetService<IOptions<ChartStoreOptions>>()?.Value.CurrentTtl;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    /// <summary>A single value replaces a list (<c>Sync__Symbols=GC,SI</c>); empty lists get the defaults.</summary>
    private static void ApplyDefaults(CandleSyncOptions options, IConfigurationSection? section)
    {
        ReplaceWithScalar(options.Symbols, section?.GetSection(nameof(CandleSyncOptions.Symbols)));
        ReplaceWithScalar(options.Timeframes, section?.GetSection(nameof(CandleSyncOptions.Timeframes)));
        if (options.Symbols.Count == 0)
        {
            foreach (var symbol in Symbol.Defaults)
            {
                options.Symbols.Add(symbol.Value);
            }
        }

        if (options.Timeframes.Count == 0)
        {
            foreach (var timeframe in Timeframe.All)
            {
                options.Timeframes.Add(timeframe.Name);
            }
        }
    }

    private static void ReplaceWithScalar(IList<string> list, IConfigurationSection? section)
    {
        if (string.IsNullOrWhiteSpace(section?.Value))
        {
            return;
        }

        list.Clear();
        foreach (var item in section.Value.Split(s_listSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(item);
        }
    }
}
