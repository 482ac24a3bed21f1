using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer;
using OrderFlow.Redis;
using OrderFlow.Sync.Tests.Infrastructure;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>The real chart server (Kestrel, real sockets) on a free loopback port, with the store a test gives it.</summary>
internal sealed class ChartServerHost : IAsyncDisposable
{
    /// <summary>
    /// How long past the host's shutdown timeout a stop may take before it counts as hung: generous, for a loaded
    /// machine (the timeout bounds the graceful part; what follows it must be quick, not instant).
    /// </summary>
    public static readonly TimeSpan StopSlack = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;
    private Task<TimeSpan>? _stop;

    private ChartServerHost(WebApplication app, MetricSink metrics, Uri baseUri)
    {
        _app = app;
        Metrics = metrics;
        BaseUri = baseUri;
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUri { get; }

    /// <summary>A client of the server that does not decompress (tests look at the encodings).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// The server's own instruments, summed from its start: e.g. <c>orderflow.chartserver.ws.clients</c> (connected
    /// now), <c>orderflow.chartserver.ws.series</c>, <c>orderflow.chartserver.ws.dropped</c>.
    /// </summary>
    public MetricSink Metrics { get; }

    /// <summary>The ws:// address of the live WebSocket for a query.</summary>
    public Uri LiveSocket(string query) => new($"ws://{BaseUri.Authority}/ws/live?{query}");

    /// <summary>Starts the server. <paramref name="store"/> replaces the configured store; demo mode is off unless args turn it on.</summary>
    public static async Task<ChartServerHost> StartAsync(IChartStore? store = null, params string[] args)
    {
        string[] all = ["--urls", "http://127.0.0.1:0", "--ChartServer:Demo=false", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:OrderFlow=Warning", .. args];
        var app = await ChartServerApp.BuildAsync(all, builder =>
        {
            if (store is not null)
            {
                builder.Services.AddSingleton(store);
            }
        });
        var metrics = new MetricSink(app.Services.GetRequiredService<IMeterFactory>());
        await app.StartAsync();
        var address = ChartServerApp.Addresses(app).Single();
        return new ChartServerHost(app, metrics, new Uri(address.TrimEnd('/') + "/"));
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The host's shutdown timeout: the budget <see cref="StopAsync"/> gives the hosted services.</summary>
    public TimeSpan ShutdownTimeout => _app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

    /// <summary>
    /// Stops the host as <c>Ctrl+C</c> does (the host's own <see cref="ShutdownTimeout"/>, no shorter token) and
    /// returns how long it took. Throws <see cref="TimeoutException"/> when the stop has not completed within the
    /// shutdown timeout plus <see cref="StopSlack"/> (a hang), and whatever the stop threw (a hosted service that
    /// failed to stop). Idempotent.
    /// </summary>
    public Task<TimeSpan> StopAsync() => _stop ??= StopCoreAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var metrics = Metrics;
        try
        {
            await StopAsync();
        }
        finally
        {
            // Bounded too: disposing a host whose stop hung must fail the test, not hang the run.
            await _app.DisposeAsync().AsTask().WaitAsync(StopSlack);
        }
    }

    private async Task<TimeSpan> StopCoreAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var bound = ShutdownTimeout + StopSlack;
        try
        {
            await _app.StopAsync(CancellationToken.None).WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host did not stop within its shutdown timeout ({ShutdownTimeout}) plus {StopSlack}: stopping hangs.");
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
