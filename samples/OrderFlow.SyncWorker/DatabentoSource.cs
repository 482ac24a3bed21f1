using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Databento;
using OrderFlow.Databento.DependencyInjection;
using OrderFlow.Sync;
using OrderFlow.MarketData;

namespace OrderFlow.SyncWorker;

/// <summary>
/// <c>Source=databento</c>: the market data comes straight from Databento (<see cref="DatabentoMarketDataSource"/>)
/// instead of the WebSocket feed. Settings under <c>Databento</c>: the <see cref="DatabentoLiveOptions"/> keys
/// (<c>ApiKey</c> — or <c>DATABENTO_API_KEY</c>, never logged —, <c>Dataset</c> (GLBX.MDP3), <c>Gateway</c>, <c>Port</c>,
/// <c>HeartbeatInterval</c>, …), the <see cref="DatabentoMarketDataSourceOptions"/> keys (<c>IncludeTrades</c>,
/// <c>ContinuousRank</c>, <c>BarReplay</c>, <c>MaxQueuedTicks</c>) and <c>Historical:BaseAddress</c> (set → history from the Historical API;
/// empty → empty histories, which the engine fills by aggregation) with its <c>Historical:AttemptTimeout</c>,
/// <c>Historical:TotalRequestTimeout</c> and <c>Historical:MaxRetryAttempts</c>. The roots are <c>Sync:Symbols</c>.
/// </summary>
internal static class DatabentoSource
{
    public const string SectionName = "Databento";

    public const string HistoricalBaseAddressKey = SectionName + ":Historical:BaseAddress";

    /// <summary>
    /// Registers the Databento source as the <see cref="IMarketDataSource"/> (<see cref="DatabentoServiceCollectionExtensions.AddDatabentoMarketData"/>),
    /// its roots defaulting to <c>Sync:Symbols</c>. The worker's one registration for <c>Source=databento</c>.
    /// </summary>
    public static void Register(IServiceCollection services) =>
        services.AddDatabentoMarketData(SectionName)
            .PostConfigure<IOptions<CandleSyncOptions>>((options, sync) =>
            {
                if (options.Roots.Count == 0)
                {
                    foreach (var symbol in sync.Value.Symbols)
                    {
                        options.Roots.Add(symbol);
                    }
                }
            });

    /// <summary>A description for the start-up log line: dataset, gateway and history, never the key.</summary>
    public static string Describe(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var live = new DatabentoLiveOptions();
        live.Dataset = section[nameof(DatabentoLiveOptions.Dataset)] is { Length: > 0 } dataset ? dataset : live.Dataset;
        live.Gateway = section[nameof(DatabentoLiveOptions.Gateway)];
        var port = section[nameof(DatabentoLiveOptions.Port)] is { Length: > 0 } p ? p : live.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Scheme and host only (never credentials); AddDatabentoMarketData validates the address itself.
        var history = Uri.TryCreate(configuration[HistoricalBaseAddressKey], UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}" : "off";
        return $"dataset {live.Dataset}, gateway {live.GetGatewayHost()}:{port}, history {history}";
    }
}
