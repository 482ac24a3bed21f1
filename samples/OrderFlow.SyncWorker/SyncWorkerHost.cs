using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Sync.DependencyInjection;

namespace OrderFlow.SyncWorker;

/// <summary>
/// The sync worker's composition: <see cref="RunAsync"/> is the whole program (<c>Program.cs</c> calls nothing else),
/// <see cref="BuildAsync"/> the host it runs, for running the worker in process (the end-to-end tests run exactly this).
/// </summary>
/// <remarks>
/// This is the worker's deliberate public surface, with the configuration keys it reads: everything else (the source
/// registrations, the health endpoint) is wiring behind it.
/// </remarks>
public static partial class SyncWorkerHost
{
    /// <summary>Exit code for invalid configuration (EX_CONFIG would be 78; systemd treats any non-zero as failure).</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>
    /// Builds the host from <paramref name="args"/> (and appsettings.json and the environment), validates the
    /// configuration and runs the worker until it is stopped.
    /// </summary>
    /// <returns>0 after a clean stop; <see cref="InvalidConfigurationExitCode"/> for invalid configuration (one line on standard error names the key).</returns>
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
    /// Builds the host: configuration (appsettings.json, environment, command line), systemd integration, the one
    /// market data source that <c>Source</c> names (see <see cref="WorkerSource"/>), the sync engine, and the health
    /// endpoint when <c>Health:Port</c> is set. The first log line says what the worker runs on.
    /// <paramref name="configure"/> runs on the builder before the source and the engine are registered (tests replace
    /// the logging, add configuration or services there).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Source</c> names no source, or the source's settings are missing (the message names the key).</exception>
    public static Task<IHost> BuildAsync(string[] args, Action<HostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(builder.Configuration.GetSection("HostOptions"));
        configure?.Invoke(builder);

        var source = ParseSource(builder.Configuration);
        var announce = RegisterSource(builder, source);
        builder.Services.AddCandleSync();
        EnsureOneSource(builder.Services, source);

        var healthPort = builder.Configuration.GetValue<int?>("Health:Port");
        if (healthPort is > 0)
        {
            builder.Services.AddHealthChecks().AddCandleSyncChecks();
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<HealthEndpoint>(sp, healthPort.Value));
        }

        var host = builder.Build();
        announce(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrderFlow.SyncWorker"));
        return Task.FromResult(host);
    }

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
}
