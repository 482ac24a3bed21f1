using OrderFlow.Candles;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>Options of the chart server (configuration section <c>ChartServer</c>).</summary>
internal sealed class ChartServerOptions
{
    /// <summary>The configuration section: <c>ChartServer</c>.</summary>
    public const string Section = "ChartServer";

    /// <summary>The address Kestrel listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// Demo mode: run the synthetic market and the sync engine in process. Null (the default) means "when
    /// <c>Redis:Configuration</c> is empty".
    /// </summary>
    public bool? Demo { get; set; }

    /// <summary>The symbols the API and the WebSocket accept; anything else is a 400. Default GC SI CL ES NQ.</summary>
    public IList<string> Symbols { get; } = [];

    /// <summary>How long a loaded 1-year series is served before the store is read again. Default 2 s.</summary>
    public TimeSpan ChartCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A cached series nobody asked for during this long is released. Default 5 minutes.</summary>
    public TimeSpan ChartCacheIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many live messages may wait for one WebSocket client before it is dropped as slow. Default 64.</summary>
    public int ClientQueueCapacity { get; set; } = 64;

    /// <summary>The longest one WebSocket send may take before the client is dropped as slow. Default 5 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The interval of WebSocket keep-alive pings. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A client that does not answer a ping within this time is dropped. Default 30 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most WebSocket clients served at once; more get a 503. Default 10,000.</summary>
    public int MaxWebSocketClients { get; set; } = 10_000;

    /// <summary>
    /// The most WebSocket clients served at once from one client address; more get a 429, so one address cannot take
    /// every <see cref="MaxWebSocketClients"/> slot. Default 100.
    /// </summary>
    public int MaxWebSocketsPerAddress { get; set; } = 100;

    /// <summary>
    /// How many <c>/api/*</c> requests one client address may make per <see cref="ApiRateWindow"/>; more get a 429.
    /// Default 100.
    /// </summary>
    public int ApiRequestsPerWindow { get; set; } = 100;

    /// <summary>The fixed window of <see cref="ApiRequestsPerWindow"/>. Default 1 s.</summary>
    public TimeSpan ApiRateWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one read of a series' live data (<c>/api/live</c>) is served to every request for that series before
    /// the store is read again. Default 500 ms.
    /// </summary>
    public TimeSpan LiveCacheDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A series with WebSocket clients whose newest live update is older than this makes <c>/healthz</c> Degraded.
    /// Default 5 minutes.
    /// </summary>
    public TimeSpan LiveStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The parsed <see cref="Symbols"/> (the five default roots when empty).</summary>
    public IReadOnlySet<Symbol> AllowedSymbols()
    {
        if (Symbols.Count == 0)
        {
            return Symbol.Defaults.ToHashSet();
        }

        var set = new HashSet<Symbol>();
        foreach (var text in Symbols)
        {
            if (!Symbol.TryParse(text, out var symbol))
            {
                throw new InvalidOperationException($"ChartServer:Symbols contains '{text}', which is not a valid symbol (A–Z, 0–9, '.', '_', '-', at most {Symbol.MaxLength} characters).");
            }

            set.Add(symbol);
        }

        return set;
    }
}
