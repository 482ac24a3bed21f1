using OrderFlow.ChartServer.Hosting;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.DependencyInjection;

namespace OrderFlow.ChartServer.Demo;

/// <summary>
/// The one-command demo: with no <c>Redis:Configuration</c>, the synthetic feed server (always open, so the chart
/// always ticks) and the sync engine run in this process and fill the in-memory store, so a fresh clone shows a
/// live chart with a year of history for every symbol and timeframe within seconds. With <c>ChartServer:Dbn</c> (a
/// Databento DBN file, or an array of them) the feed server replays those files instead (<c>DbnSpeed</c>, default 1;
/// <c>DbnStart</c>, the recording time to start at, default the beginning; <c>DbnLoop</c>, default true).
/// </summary>
internal static class DemoMode
{
    /// <summary><c>ChartServer:Demo</c> when set, otherwise "no <c>Redis:Configuration</c>".</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool?>($"{ChartServerOptions.Section}:{nameof(ChartServerOptions.Demo)}")
            ?? string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]);

    /// <summary>Starts the synthetic feed server (or the DBN replay) on a free loopback port and registers the sync engine against it.</summary>
    public static async Task AddDemoAsync(WebApplicationBuilder builder)
    {
        var market = CreateSource(builder.Configuration.GetSection(ChartServerOptions.Section));

        // The server starts before the host's logging exists: its log goes to the host's once the host starts.
        var log = new DeferredLogger<FeedServer>();
        var feed = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = market }, log).ConfigureAwait(false);
        builder.Configuration.AddInMemoryCollection([new("Feed:Url", feed.Uri.ToString())]);

        // Registered before the sync engine, so it stops after it (hosted services stop in reverse order).
        builder.Services.AddSingleton(new DemoFeed(feed, market, log));
        builder.Services.AddHostedService<DemoFeedLifetime>();
        AddSync(builder.Services);
    }

    /// <summary>The synthetic market, or a replay of the DBN files of <c>ChartServer:Dbn</c>.</summary>
    private static IFeedDataSource CreateSource(IConfigurationSection section)
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
    /// The sync engine (the same package as the standalone sync worker), fed by the demo feed server, writing to the
    /// chart store registered before it (the in-memory one); its health checks join <c>/healthz</c>.
    /// </summary>
    private static void AddSync(IServiceCollection services)
    {
        services.AddCandleSync();
        services.AddHealthChecks().AddCandleSyncChecks();
    }
}

/// <summary>The demo's feed server, the market (synthetic or DBN replay) it serves, and the server's log.</summary>
internal sealed record DemoFeed(FeedServer Server, IFeedDataSource Market, DeferredLogger<FeedServer> Log);

/// <summary>Connects the demo feed server's log to the host's, stops the server when the host stops and disposes it with the host.</summary>
internal sealed class DemoFeedLifetime : IHostedService, IAsyncDisposable
{
    private readonly DemoFeed _feed;
    private readonly ILogger<DemoFeedLifetime> _logger;

    public DemoFeedLifetime(DemoFeed feed, ILoggerFactory loggers, ILogger<DemoFeedLifetime> logger)
    {
        _feed = feed;
        _logger = logger;
        feed.Log.Target = loggers.CreateLogger<FeedServer>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.DemoFeedStarted(_logger, _feed.Server.Uri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the server: its clients are closed, each within the server's close timeout (then aborted), so the stop
    /// is bounded. When the host's shutdown timeout runs out first (the services that stopped before used it up),
    /// this stops waiting, as a <see cref="BackgroundService"/> does, and the stop finishes on its own (disposal
    /// waits for it): failing here would fail the host's whole stop, and a <c>Ctrl+C</c> would end in an unhandled
    /// exception.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _feed.Server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.DemoFeedStopTimedOut(_logger);
        }
    }

    /// <summary>Waits for the server's stop (bounded; see <see cref="StopAsync"/>).</summary>
    public ValueTask DisposeAsync() => _feed.Server.DisposeAsync();
}
