using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Api;
using OrderFlow.ChartServer.Demo;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.ChartServer.Live;
using OrderFlow.Redis;
using OrderFlow.Redis.DependencyInjection;

namespace OrderFlow.ChartServer;

/// <summary>
/// The composition of the chart server, callable in process (tests and benchmarks run exactly this): Kestrel on
/// 127.0.0.1:5000 unless <c>--urls</c> says otherwise, the chart store (Redis, or in memory), the JSON API, the live
/// WebSocket and the pages.
/// </summary>
/// <remarks>
/// The server's deliberate public surface: what it serves is observed over HTTP and WebSocket, and through its meter
/// (<c>OrderFlow.ChartServer</c>); the API handlers, the response cache and the live fan-out are wiring behind it.
/// </remarks>
public static class ChartServerApp
{
    /// <summary>Builds the server from command-line arguments; <paramref name="configure"/> runs before demo mode is set up.</summary>
    public static Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory, // the pages and the chart library are copied next to the binaries
        });

        if (!HasConfiguredAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(ChartServerOptions.DefaultUrl);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
        {
            // Read by the host-filtering middleware the web host adds: a request whose Host is not one of these gets a
            // 400 before anything else runs, so a DNS-rebinding page (its own name, resolved to this server) can
            // neither read the API nor pass the WebSocket's same-origin check.
            builder.Configuration["AllowedHosts"] = DefaultAllowedHosts(builder.Configuration["urls"] ?? ChartServerOptions.DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = 4 * 1024;        // longer URLs get 414
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024; // larger headers get 431
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024;         // GET and HEAD only: no body is expected
        });

        AddChartServer(builder.Services);
        configure?.Invoke(builder);
        if (DemoMode.IsEnabled(builder.Configuration))
        {
            DemoMode.AddDemo(builder);
        }

        var app = builder.Build();
        UseChartServer(app);
        return Task.FromResult(app);
    }

    /// <summary>The addresses Kestrel listens on (after start).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static void AddChartServer(IServiceCollection services)
    {
        services.AddOptions<ChartServerOptions>().BindConfiguration(ChartServerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChartServerOptions>, ChartServerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddChartStore();
        services.AddSingleton<ChartServerMetrics>();
        services.AddSingleton<SeriesParser>();
        services.AddSingleton<ChartResponseCache>();
        services.AddSingleton<LiveResponseCache>();
        services.AddApiRateLimit();
        services.AddSingleton<LiveFanout>();
        services.AddProblemDetails();
        services.AddChartServerHealth();
        services.AddResponseCompression(compression =>
        {
            // Responses hold no secrets and echo no user input, so compressing over TLS too is safe (no BREACH).
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json"];
        });
    }

    private static void UseChartServer(WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The store being unreachable is the server's problem, but a temporary one; details never reach the client.
            StatusCodeSelector = ex => ex is ChartStoreException ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate every time (ETag / Last-Modified make that a 304): a new build is picked up at once.
            OnPrepareResponse = static file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.UseRateLimiter();
        app.UseWebSockets();
        app.MapChartApi();
        app.MapLiveSocket();
        app.MapChartServerHealth();
    }

    /// <summary>
    /// localhost, 127.0.0.1 and [::1], plus the host of every address Kestrel binds; <c>*</c> (no filtering) when one of
    /// them is a wildcard, whose names cannot be known: set <c>AllowedHosts</c> then.
    /// </summary>
    internal static string DefaultAllowedHosts(string urls)
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var start = url.IndexOf("://", StringComparison.Ordinal);
            var rest = start < 0 ? url : url[(start + 3)..];
            var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
            var host = end <= 0 ? rest : rest[..end];
            if (host is "*" or "+" or "0.0.0.0" or "[::]" || host.Length == 0)
            {
                return "*";
            }

            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(host);
            }
        }

        return string.Join(';', hosts);
    }

    private static bool HasConfiguredAddress(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
