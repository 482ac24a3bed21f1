using OrderFlow.MarketData;
namespace OrderFlow.Feed.Client;

/// <summary>
/// Options of <see cref="FeedClient"/>. Bind them from configuration (for example the <c>Feed</c> section); they are
/// validated when the client is created.
/// </summary>
public sealed class FeedClientOptions
{
    /// <summary>The WebSocket URL of the feed server (<c>ws://</c> or <c>wss://</c>). Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>How often a <c>ping</c> is sent. Default 60 s (the seed's heartbeat).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long without any traffic from the server before the connection is declared dead. Default 120 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a connection attempt may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The backoff's first step: the first reconnect waits a random time up to this, and each further attempt doubles
    /// the step (see <see cref="ReconnectBackoff"/>). Default 1 s.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest backoff step: no wait between reconnect attempts is longer. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a connection must stay up after its first data before the backoff starts over from
    /// <see cref="ReconnectDelay"/>; a connection dropped sooner leaves the backoff growing, so a server that accepts and
    /// drops at once is not hammered. Default 30 s.
    /// </summary>
    public TimeSpan StableConnectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest message accepted, in bytes (<c>Feed:MaxMessageBytes</c>); a larger one is skipped, counted
    /// (<c>orderflow.feed.rejected</c>, reason <c>FrameTooLarge</c>) and logged with this limit. Default 32 MiB: the
    /// largest legitimate message is a history answer, and one of 100,000 one-minute bars with order flow is 13.6 MB
    /// (GC) to 14.6 MB (NQ prices and volumes). Between 1 KiB and 256 MiB; raise it only for deeper history
    /// requests.
    /// </summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>The default of <see cref="MaxMessageBytes"/>: 32 MiB, twice the largest 100,000-bar history answer.</summary>
    public const int DefaultMaxMessageBytes = 32 * 1024 * 1024;

    /// <summary>
    /// How many live ticks may wait for the consumer before new ones are dropped (and a <see cref="MarketDataEventKind.LiveGap"/>
    /// reported), and how many live candle updates may wait before a new update of a series replaces its queued one
    /// (the newest candle of every series is kept). Candle updates of one series and open time always coalesce;
    /// history answers are bounded by the requests made. Default 65,536.
    /// </summary>
    public int LiveQueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// Extra bars requested on top of the outage when backfilling after a reconnect. An answer that still does not
    /// reach back to the last bar seen is asked again with more bars, so this only saves round trips. Default 2.
    /// </summary>
    public int BackfillMarginBars { get; set; } = 2;

    /// <summary>Returns the options for logs.</summary>
    /// <returns>The text; the URL's user information and query (which may hold a token) are masked.</returns>
    public override string ToString() =>
        $"Url={Mask(Url)}, PingInterval={PingInterval}, IdleTimeout={IdleTimeout}, ConnectTimeout={ConnectTimeout}, ReconnectDelay={ReconnectDelay}, MaxReconnectDelay={MaxReconnectDelay}, StableConnectionTime={StableConnectionTime}, MaxMessageBytes={MaxMessageBytes}, LiveQueueCapacity={LiveQueueCapacity}, BackfillMarginBars={BackfillMarginBars}";

    internal static string Mask(Uri? url)
    {
        if (url is null)
        {
            return "(none)";
        }

        if (!url.IsAbsoluteUri)
        {
            return url.OriginalString;
        }

        var builder = new UriBuilder(url);
        if (!string.IsNullOrEmpty(builder.UserName) || !string.IsNullOrEmpty(builder.Password))
        {
            builder.UserName = "***";
            builder.Password = string.Empty;
        }

        if (!string.IsNullOrEmpty(builder.Query))
        {
            builder.Query = "***";
        }

        return builder.Uri.ToString();
    }
}
