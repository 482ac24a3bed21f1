using OrderFlow.ChartServer.Hosting;
using OrderFlow.Databento.Replay;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;
using OrderFlow.Sync.DependencyInjection;

namespace OrderFlow.ChartServer.Demo;

/// <summary>
/// The one-command demo: with no <c>Redis:Configuration</c>, the synthetic market (always open, so the chart always
/// ticks) feeds the sync engine in this process, directly through <see cref="IMarketDataSource"/> (no feed server, no
/// socket), and the engine fills the in-memory store, so a fresh clone shows a live chart with a year of history for
/// every symbol and timeframe within seconds. With <c>ChartServer:Dbn</c> (a Databento DBN file, or an array of them)
/// the engine is fed a replay of those files instead (<c>DbnSpeed</c>, default 1; <c>DbnStart</c>, the recording time
/// to start at, default the beginning; <c>DbnLoop</c>, default true).
/// </summary>
internal static class DemoMode
{
    /// <summary><c>ChartServer:Demo</c> when set, otherwise "no <c>Redis:Configuration</c>".</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool?>($"{ChartServerOptions.Section}:{nameof(ChartServerOptions.Demo)}")
            ?? string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]);

    /// <summary>Registers the demo's source (the synthetic market, or the DBN replay) and the sync engine it feeds.</summary>
    /// <exception cref="IOException">A <c>ChartServer:Dbn</c> file cannot be read.</exception>
    /// <exception cref="Databento.DbnFormatException">A <c>ChartServer:Dbn</c> file is not DBN.</exception>
    public static void AddDemo(WebApplicationBuilder builder)
    {
        var source = CreateSource(builder.Configuration.GetSection(ChartServerOptions.Section));

        // The one source, registered by a factory so that the container disposes it even if the host never starts.
        builder.Services.AddSingleton<IMarketDataSource>(_ => source);

        // Registered before the sync engine, so it stops after it (hosted services stop in reverse order).
        builder.Services.AddHostedService(sp => new DemoSourceLifetime(source, sp.GetRequiredService<ILogger<DemoSourceLifetime>>()));
        AddSync(builder.Services);
    }

    /// <summary>The synthetic market, or a replay of the DBN files of <c>ChartServer:Dbn</c>.</summary>
    private static InProcessMarketDataSource CreateSource(IConfigurationSection section)
    {
        var dbn = section.GetSection("Dbn");
        string[] files = string.IsNullOrWhiteSpace(dbn.Value) ? [.. dbn.GetChildren().Select(c => c.Value).OfType<string>()] : [dbn.Value];
        if (files.Length == 0)
        {
            return new SyntheticMarket(new SyntheticMarketOptions { AlwaysOpen = true, Speed = 1 });
        }

        return DbnReplaySource.Load(files, new DbnReplayOptions
        {
            Speed = section.GetValue("DbnSpeed", 1.0),
            StartTime = section.GetValue<DateTimeOffset?>("DbnStart"),
            Loop = section.GetValue("DbnLoop", true), // a demo keeps ticking
        });
    }

    /// <summary>
    /// The sync engine (the same package as the standalone sync worker), fed by the demo's source, writing to the
    /// chart store registered before it (the in-memory one); its health checks join <c>/healthz</c>.
    /// </summary>
    private static void AddSync(IServiceCollection services)
    {
        services.AddCandleSync();
        services.AddHealthChecks().AddCandleSyncChecks();
    }
}

/// <summary>Says what the demo runs on when the host starts, and stops the source once the sync engine has stopped.</summary>
internal sealed class DemoSourceLifetime(InProcessMarketDataSource source, ILogger<DemoSourceLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.DemoStarted(logger, source);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends the source's background loop. Bounded without a timeout of its own: there is no socket to close, and
    /// every wait in the loop (the market's clock, the full event queue) ends on its cancellation.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => source.DisposeAsync().AsTask();
}
