using Microsoft.Extensions.Http.Resilience;

namespace OrderFlow.Databento;

/// <summary>Settings of a <see cref="DatabentoHistoricalClient"/>.</summary>
/// <remarks>The key comes from configuration or the <c>DATABENTO_API_KEY</c> environment variable and is never logged (<c>db-…XXXXX</c>).</remarks>
public sealed class DatabentoHistoricalOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>OrderFlow:Databento:Historical</c>.</summary>
    public const string SectionName = "OrderFlow:Databento:Historical";

    /// <summary>The API key; empty to use the <c>DATABENTO_API_KEY</c> environment variable.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The Historical API's base address. Default <c>https://hist.databento.com</c>.</summary>
    public Uri BaseAddress { get; set; } = new("https://hist.databento.com");

    /// <summary>
    /// How long one attempt may take until Databento's answer begins (its headers). Default 30 seconds; between
    /// 1 second and 10 minutes, and at most <see cref="TotalRequestTimeout"/>.
    /// </summary>
    /// <remarks>A timed-out attempt is retried, like a 5xx, a 408, a 429 or a failed connection.</remarks>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request may take until Databento's answer begins, every retry and its backoff included. Default
    /// 2 minutes; between 1 second and 30 minutes.
    /// </summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many times a failed attempt (5xx, 408, 429, a timeout or a failed connection) is retried, with exponential
    /// backoff and jitter (honouring <c>Retry-After</c>). Default 3; between 0 and 10. A 4xx such as 401 or 422 is
    /// never retried.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The API key: <see cref="ApiKey"/>, or the <c>DATABENTO_API_KEY</c> environment variable.</summary>
    /// <returns>The key, or <see langword="null"/>.</returns>
    public string? ResolveApiKey() =>
        string.IsNullOrWhiteSpace(ApiKey) ? Environment.GetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable) : ApiKey;

    /// <summary>Describes the options with the key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"base={BaseAddress} key={ApiKeyMask.Mask(ResolveApiKey())} attemptTimeout={AttemptTimeout} totalTimeout={TotalRequestTimeout} retries={MaxRetryAttempts}";

    /// <summary>The problems of these options, each named by <paramref name="prefix"/> and its key; empty when valid.</summary>
    internal List<string> Validate(string prefix)
    {
        var failures = new List<string>();
        if (AttemptTimeout < TimeSpan.FromSeconds(1) || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{prefix}AttemptTimeout {AttemptTimeout} must be between 00:00:01 and 00:10:00.");
        }

        if (TotalRequestTimeout < TimeSpan.FromSeconds(1) || TotalRequestTimeout > TimeSpan.FromMinutes(30))
        {
            failures.Add($"{prefix}TotalRequestTimeout {TotalRequestTimeout} must be between 00:00:01 and 00:30:00.");
        }
        else if (AttemptTimeout > TotalRequestTimeout)
        {
            failures.Add($"{prefix}AttemptTimeout {AttemptTimeout} must not exceed {prefix}TotalRequestTimeout {TotalRequestTimeout}.");
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{prefix}MaxRetryAttempts {MaxRetryAttempts} must be between 0 and 10.");
        }

        return failures;
    }

    /// <summary>Sets the standard resilience handler's timeouts and retries from these options.</summary>
    internal void ApplyTo(HttpStandardResilienceOptions resilience)
    {
        resilience.TotalRequestTimeout.Timeout = TotalRequestTimeout;
        resilience.AttemptTimeout.Timeout = AttemptTimeout;
        if (MaxRetryAttempts == 0)
        {
            resilience.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
        }
        else
        {
            resilience.Retry.MaxRetryAttempts = MaxRetryAttempts;
        }

        // The handler requires a sampling window of at least twice the attempt timeout.
        var sampling = AttemptTimeout * 2;
        if (resilience.CircuitBreaker.SamplingDuration < sampling)
        {
            resilience.CircuitBreaker.SamplingDuration = sampling;
        }
    }
}
