using System.Text.RegularExpressions;

namespace OrderFlow.Redis;

/// <summary>
/// Options of the chart store: where Redis is, the key prefix, the TTLs of the seed's keys and the live buffer size.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> masks the password, so the options can be logged. Validate with
/// <see cref="ChartStoreOptionsValidator"/>.
/// </remarks>
public sealed partial class ChartStoreOptions
{
    /// <summary>The seed's TTL of <c>chart:{symbol}:{tf}:1year</c>: 24 hours.</summary>
    public static readonly TimeSpan DefaultChartTtl = TimeSpan.FromHours(24);

    /// <summary>The seed's TTL of <c>live:{symbol}:{tf}:current</c>: 2 minutes.</summary>
    public static readonly TimeSpan DefaultCurrentTtl = TimeSpan.FromMinutes(2);

    /// <summary>The seed's TTL of <c>live:{symbol}:{tf}:buffer</c>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultBufferTtl = TimeSpan.FromMinutes(10);

    /// <summary>The seed's live buffer size: 500 candles.</summary>
    public const int DefaultBufferSize = 500;

    /// <summary>The default <see cref="BufferRefreshInterval"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBufferRefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>The longest key prefix accepted.</summary>
    public const int MaxKeyPrefixLength = 128;

    /// <summary>
    /// The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or
    /// <c>cache.example.com:6380,ssl=true,password=…</c>. Required by <see cref="RedisChartStore"/>; ignored by
    /// <see cref="InMemoryChartStore"/>.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// A prefix put in front of every key and channel, so several deployments can share one Redis (e.g. <c>prod:</c>).
    /// Empty by default. Letters, digits and <c>: . _ - { }</c> only.
    /// </summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>The TTL of <c>chart:{symbol}:{tf}:1year</c>. Default 24 hours.</summary>
    public TimeSpan ChartTtl { get; set; } = DefaultChartTtl;

    /// <summary>The TTL of <c>live:{symbol}:{tf}:current</c>. Default 2 minutes.</summary>
    public TimeSpan CurrentTtl { get; set; } = DefaultCurrentTtl;

    /// <summary>The TTL of <c>live:{symbol}:{tf}:buffer</c>. Default 10 minutes.</summary>
    public TimeSpan BufferTtl { get; set; } = DefaultBufferTtl;

    /// <summary>How many live candles the buffer keeps (the newest). Default 500.</summary>
    public int BufferSize { get; set; } = DefaultBufferSize;

    /// <summary>
    /// While only the newest candle of a live buffer changes, the buffer key is rewritten at most this often; every
    /// live write still sets the current key (<c>live:{symbol}:{tf}:current</c>) and publishes, so readers see the newest
    /// state at once, and the engine restores the buffer together with the current key. A new candle, a dropped or
    /// back-filled one is written at once. Default 5 seconds; zero rewrites the buffer on every live write. At most half
    /// of <see cref="BufferTtl"/>.
    /// </summary>
    public TimeSpan BufferRefreshInterval { get; set; } = DefaultBufferRefreshInterval;

    /// <summary>Returns the options with the password in <see cref="Configuration"/> replaced by <c>*****</c>.</summary>
    /// <returns>A loggable description of the options.</returns>
    public override string ToString() =>
        $"Configuration={MaskPassword(Configuration)}, KeyPrefix={KeyPrefix}, ChartTtl={ChartTtl}, CurrentTtl={CurrentTtl}, BufferTtl={BufferTtl}, BufferSize={BufferSize}, BufferRefreshInterval={BufferRefreshInterval}";

    /// <summary>Masks <c>password=…</c> in a StackExchange.Redis configuration string and the user info of a URL.</summary>
    internal static string MaskPassword(string? configuration) =>
        configuration is null ? "(null)" : UserInfoPattern().Replace(PasswordPattern().Replace(configuration, "$1*****"), "$1*****@");

    [GeneratedRegex(@"((?:^|,)\s*password\s*=)[^,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"(://)[^@/,]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();
}
