using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;
using OrderFlow.Sync.DependencyInjection;

namespace OrderFlow.SyncWorker;

/// <summary>The worker's composition, callable in process (the end-to-end tests run exactly this).</summary>
internal static partial class SyncWorkerHost
{
    /// <summary>Exit code for invalid configuration (EX_CONFIG would be 78; systemd treats any non-zero as failure).</summary>
    public const int InvalidConfigurationExitCode = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        try
        {
            host = await BuildAsync(args).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or IOException or Databento.DbnFormatException)
        {
            // IOException and DbnFormatException: an unreadable SyntheticFeed:Dbn file (the message names it).
            await Console.Error.WriteLineAsync($"orderflow-sync: invalid configuration: {ex.Message}").ConfigureAwait(false);
            return InvalidConfigurationExitCode;
        }

        using (host)
        {
            if (ValidateConfiguration(host) is { } error)
            {
                await Console.Error.WriteLineAsync($"orderflow-sync: invalid configuration: {error}").ConfigureAwait(false);
                return InvalidConfigurationExitCode;
            }

            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>
    /// Builds the host: configuration (appsettings.json, environment, command line), systemd integration, the sync
    /// engine, the Databento source when <c>Source</c> is <c>databento</c>, else the synthetic feed when <c>Feed:Url</c> is empty, and the health endpoint when <c>Health:Port</c> is set.
    /// </summary>
    public static async Task<IHost> BuildAsync(string[] args, Action<HostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));
        configure?.Invoke(builder);

        var source = builder.Configuration[SourceKey]?.Trim();
        var databento = string.Equals(source, "databento", StringComparison.OrdinalIgnoreCase);
        if (!databento && !string.IsNullOrEmpty(source) && !string.Equals(source, "feed", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{SourceKey} '{source}' is not a source: expected feed (the WebSocket feed, the default) or databento.");
        }

        SyntheticFeed? synthetic = null;
        if (databento)
        {
            DatabentoSource.Register(builder.Services);   // before AddCandleSync: it then adds no feed client
        }
        else if (string.IsNullOrWhiteSpace(builder.Configuration["Feed:Url"]))
        {
            synthetic = await SyntheticFeed.StartAsync(builder.Configuration.GetSection("SyntheticFeed"), cancellationToken).ConfigureAwait(false);
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Feed:Url", synthetic.Server.Uri.ToString())]);
            builder.Services.AddSingleton(_ => synthetic); // a factory registration: the container disposes it, started or not

            // Registered before the engine, so it stops after it.
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SyntheticFeed>());
        }

        builder.Services.AddCandleSync();

        var healthPort = builder.Configuration.GetValue<int?>("Health:Port");
        if (healthPort is > 0)
        {
            builder.Services.AddHealthChecks().AddCandleSyncChecks();
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<HealthEndpoint>(sp, healthPort.Value));
        }

        var host = builder.Build();
        _ = host.Services.GetService<SyntheticFeed>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderFlow.SyncWorker");
        if (databento)
        {
            var description = DatabentoSource.Describe(builder.Configuration);
            DatabentoConfigured(logger, description);
        }
        else if (synthetic is not null)
        {
            // The first log line: an operator must see at once that this worker is not on a real feed.
            SyntheticFeedStarted(logger, synthetic.Server.Uri, synthetic.Description);
        }
        else
        {
            FeedConfigured(logger, builder.Configuration["Feed:Url"] is { } url ? MaskUrl(url) : "(none)");
        }

        return host;
    }

    /// <summary>The market data source: <c>feed</c> (default) or <c>databento</c>.</summary>
    public const string SourceKey = "Source";

    /// <summary>Runs the start-up validation (options and rules); returns the problem in one message, or null.</summary>
    public static string? ValidateConfiguration(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return string.Join(" ", ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return string.Join(" ", ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }
        catch (InvalidOperationException ex)
        {
            // The binder: "Failed to convert configuration value at 'Sync:ChartSyncInterval' to type 'System.TimeSpan'."
            return ex.Message;
        }
    }

    private static string MaskUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            ? string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath} (credentials masked)")
            : url;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Feed:Url is not set: started the synthetic feed server in process on {Url} ({Market}); set Feed:Url for a real feed")]
    private static partial void SyntheticFeedStarted(ILogger logger, Uri url, string market);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "OrderFlow sync worker, Databento source: {Description}")]
    private static partial void DatabentoConfigured(ILogger logger, string description);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "OrderFlow sync worker, feed {Url}")]
    private static partial void FeedConfigured(ILogger logger, string url);
}
