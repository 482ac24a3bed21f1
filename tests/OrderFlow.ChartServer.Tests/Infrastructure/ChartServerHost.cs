using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.ChartServer;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>The real chart server (Kestrel, real sockets) on a free loopback port, with the store a test gives it.</summary>
internal sealed class ChartServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChartServerHost(WebApplication app, Uri baseUri)
    {
        _app = app;
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
        await app.StartAsync();
        var address = ChartServerApp.Addresses(app).Single();
        return new ChartServerHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
