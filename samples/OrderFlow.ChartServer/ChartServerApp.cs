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
        services.AddSingleton<LiveFanout>();
        services.AddProblemDetails();
        services.AddHealthChecks();
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
        app.UseWebSockets();
        app.MapChartApi();
        app.MapLiveSocket();
        app.MapHealthChecks("/healthz");
    }

    private static bool HasConfiguredAddress(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
