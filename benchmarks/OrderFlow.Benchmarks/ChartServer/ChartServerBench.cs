using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.ChartServer;
using OrderFlow.Redis;

namespace OrderFlow.Benchmarks.ChartServer;

/// <summary>The real chart server (Kestrel on a free loopback port) over an in-memory store, for the benchmarks.</summary>
internal sealed class ChartServerBench : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChartServerBench(WebApplication app, InMemoryChartStore store, Uri baseUri)
    {
        _app = app;
        Store = store;
        BaseUri = baseUri;
    }

    public InMemoryChartStore Store { get; }

    public Uri BaseUri { get; }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<ChartServerBench> StartAsync(params string[] args)
    {
        var store = new InMemoryChartStore();
        // The benchmarks are one client address: the per-address limits (a defence against one abusive client) are lifted.
        string[] all = ["--urls", "http://127.0.0.1:0", "--ChartServer:Demo=false", "--Logging:LogLevel:Default=Warning", "--ChartServer:ApiRequestsPerWindow=1000000", "--ChartServer:MaxWebSocketsPerAddress=10000", .. args];
        var app = await ChartServerApp.BuildAsync(all, builder => builder.Services.AddSingleton<IChartStore>(store));
        await app.StartAsync();
        return new ChartServerBench(app, store, new Uri(ChartServerApp.Addresses(app).Single().TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Store.Dispose();
    }
}
