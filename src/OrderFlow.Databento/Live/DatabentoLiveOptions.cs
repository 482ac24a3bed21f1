using System.Globalization;

namespace OrderFlow.Databento;

/// <summary>Settings of a <see cref="DatabentoLiveClient"/>: the key, the dataset and gateway, the subscriptions, heartbeats and reconnects.</summary>
/// <remarks>
/// <para>
/// Bind it from configuration (<see cref="SectionName"/>) and leave <see cref="ApiKey"/> out of files: it is read
/// from configuration or, when empty, from the <c>DATABENTO_API_KEY</c> environment variable. The key never leaves
/// the process — the gateway gets a SHA-256 challenge response — and is never logged: <see cref="ToString"/> and
/// every log line show it as <c>db-…XXXXX</c> (its last five characters).
/// </para>
/// <para>Validate with <see cref="DatabentoLiveOptionsValidator"/> at start-up.</para>
/// </remarks>
public sealed class DatabentoLiveOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>OrderFlow:Databento:Live</c>.</summary>
    public const string SectionName = "OrderFlow:Databento:Live";

    /// <summary>The environment variable read when <see cref="ApiKey"/> is empty: <c>DATABENTO_API_KEY</c>.</summary>
    public const string ApiKeyEnvironmentVariable = "DATABENTO_API_KEY";

    /// <summary>The Live gateway port (13000).</summary>
    public const int DefaultPort = 13_000;

    /// <summary>The gateway's own heartbeat interval when none is requested (30 s).</summary>
    public static readonly TimeSpan GatewayDefaultHeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>The API key (32 characters, <c>db-…</c>); empty to use <see cref="ApiKeyEnvironmentVariable"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The dataset, such as <c>GLBX.MDP3</c> (CME Globex). Default <c>GLBX.MDP3</c>.</summary>
    public string Dataset { get; set; } = "GLBX.MDP3";

    /// <summary>The gateway host; <see langword="null"/> for <c>{dataset, '.' → '-', lower case}.lsg.databento.com</c>.</summary>
    public string? Gateway { get; set; }

    /// <summary>The gateway port. Default 13000.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The subscriptions sent on every (re)connect. At least one.</summary>
    public IList<DatabentoLiveSubscription> Subscriptions { get; } = new List<DatabentoLiveSubscription>();

    /// <summary>
    /// The heartbeat interval asked of the gateway (whole seconds, 5–1800, sent as <c>heartbeat_interval_s</c>);
    /// <see langword="null"/> for the gateway default of 30 s. The gateway sends a heartbeat system record when it has
    /// sent nothing else for this long.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>
    /// How much longer than the heartbeat interval to wait for any byte before declaring the connection dead and
    /// reconnecting. Default 10 s.
    /// </summary>
    public TimeSpan HeartbeatTimeoutMargin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The limit for the TCP connect and the authentication handshake. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The backoff's first step: the first reconnect waits a random time up to this, and each further attempt doubles
    /// the step up to <see cref="ReconnectMaxDelay"/> (full jitter, see <see cref="OrderFlow.MarketData.ReconnectBackoff"/>). Default 1 s.
    /// </summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest backoff step: no wait between reconnect attempts is longer. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a session must stay up after its first data record before the backoff starts over from
    /// <see cref="ReconnectMinDelay"/>; a session dropped sooner leaves the backoff growing, so a gateway that accepts
    /// and drops at once is not hammered (nor its intraday replay re-requested every second). Default 30 s.
    /// </summary>
    public TimeSpan StableConnectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>client=</c> value of the authentication request. Default <c>OrderFlow.Databento 0.1</c>.</summary>
    public string ClientName { get; set; } = "OrderFlow.Databento " + typeof(DatabentoLiveOptions).Assembly.GetName().Version?.ToString(2);

    /// <summary>Tests only: replaces heartbeat interval + margin as the dead-connection limit (the gateway's 5 s minimum makes real values slow).</summary>
    internal TimeSpan? DeadConnectionTimeoutOverride { get; set; }

    /// <summary>The time without any byte from the gateway after which the connection is dead.</summary>
    internal TimeSpan DeadConnectionTimeout => DeadConnectionTimeoutOverride ?? (HeartbeatInterval ?? GatewayDefaultHeartbeatInterval) + HeartbeatTimeoutMargin;

    /// <summary>The gateway host: <see cref="Gateway"/>, or the dataset's default host.</summary>
    /// <returns>The host name.</returns>
    public string GetGatewayHost() =>
        string.IsNullOrWhiteSpace(Gateway) ? Dataset.Replace('.', '-').ToLowerInvariant() + ".lsg.databento.com" : Gateway;

    /// <summary>The API key: <see cref="ApiKey"/>, or the <c>DATABENTO_API_KEY</c> environment variable.</summary>
    /// <returns>The key, or <see langword="null"/> when neither is set.</returns>
    public string? ResolveApiKey() =>
        string.IsNullOrWhiteSpace(ApiKey) ? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable) : ApiKey;

    /// <summary>Describes the options with the key masked (<c>db-…XXXXX</c>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"dataset={Dataset} gateway={GetGatewayHost()}:{Port} key={ApiKeyMask.Mask(ResolveApiKey())} subscriptions=[{string.Join("; ", Subscriptions)}] heartbeat={HeartbeatInterval?.ToString() ?? "default"}+{HeartbeatTimeoutMargin}");
}
