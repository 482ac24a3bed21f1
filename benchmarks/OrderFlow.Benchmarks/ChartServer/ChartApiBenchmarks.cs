using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using OrderFlow.Candles;

namespace OrderFlow.Benchmarks.ChartServer;

/// <summary>
/// <c>GET /api/chart/GC/1m</c> of a 100,000-bar series over loopback HTTP/1.1, 4 requests in flight (reported per
/// request: ops/s = requests/s). The baseline reads the store on every request (the cache window set to one tick,
/// identity encoding); ours serve the cached Brotli bytes or a 304. (Cached identity and gzip are left out to keep the
/// short CI job short; their sizes are printed.)
/// </summary>
/// <remarks>
/// <b>Target (#14)</b> for <see cref="UncachedIdentity"/>, store read → response bytes: ≤ 5 ms and no more allocated
/// than the stored value's size (9.2 MB here) per request: the stored bytes are passed through, never parsed or
/// written again (before: 28–30 ms and 7.2 MB, parsing 100,000 candles and writing them again). Also printed, as
/// <c>// CHARTAPI</c> lines at setup, the bytes of one response in each encoding.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class ChartApiBenchmarks
{
    private const int Bars = 100_000;
    private const int InFlight = 4;

    private ChartServerBench _cached = null!;
    private ChartServerBench _uncached = null!;
    private HttpClient _cachedClient = null!;
    private HttpClient _uncachedClient = null!;
    private EntityTagHeaderValue _etag = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var chart = Series(Bars);
        _cached = await ChartServerBench.StartAsync();
        _uncached = await ChartServerBench.StartAsync("--ChartServer:ChartCacheDuration=00:00:00.0000001");
        await _cached.Store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart);
        await _uncached.Store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart);
        _cachedClient = NewClient(_cached);
        _uncachedClient = NewClient(_uncached);
        using var first = await _cachedClient.GetAsync("api/chart/GC/1m");
        _etag = first.Headers.ETag ?? throw new InvalidOperationException("no ETag");
        foreach (var encoding in new[] { "identity", "gzip", "br" })
        {
            using var request = Request(encoding);
            using var response = await _cachedClient.SendAsync(request);
            var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// CHARTAPI {Bars:N0} bars, {encoding}: {bytes:N0} bytes per response ({response.StatusCode})"));
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _cachedClient.Dispose();
        _uncachedClient.Dispose();
        await _cached.DisposeAsync();
        await _uncached.DisposeAsync();
    }

    /// <summary>Read the store for every request, no compression.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = InFlight)]
    public Task UncachedIdentity() => RunAsync(_uncachedClient, "identity");

    /// <summary>The cached Brotli body (what a browser gets).</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    public Task CachedBrotli() => RunAsync(_cachedClient, "br");

    /// <summary>The browser's revalidation: If-None-Match with the current ETag, answered 304 without a body.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    public Task NotModified() => RunAsync(_cachedClient, "br", _etag);

    private static async Task RunAsync(HttpClient client, string encoding, EntityTagHeaderValue? etag = null)
    {
        var requests = new Task[InFlight];
        for (var i = 0; i < InFlight; i++)
        {
            requests[i] = OneAsync(client, encoding, etag);
        }

        await Task.WhenAll(requests);
    }

    private static async Task OneAsync(HttpClient client, string encoding, EntityTagHeaderValue? etag)
    {
        using var request = Request(encoding);
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotModified))
        {
            throw new InvalidOperationException($"GET answered {response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
    }

    private static HttpRequestMessage Request(string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/chart/GC/1m");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return request;
    }

    private static HttpClient NewClient(ChartServerBench server) =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, MaxConnectionsPerServer = InFlight })
        {
            BaseAddress = server.BaseUri,
        };

    private static Candle[] Series(int count)
    {
        var result = new Candle[count];
        var open = 2000.0;
        for (var i = 0; i < count; i++)
        {
            var close = Math.Round(2000 + (20 * Math.Sin(i / 50.0)) + (i % 7 * 0.1), 1);
            result[i] = Candle.Create(1_700_000_000 + (i * 60L), open, Math.Max(open, close) + 0.3, Math.Min(open, close) - 0.3, close, 10 + (i % 50));
            open = close;
        }

        return result;
    }
}
