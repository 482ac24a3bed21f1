using Microsoft.Extensions.Options;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>Checks <see cref="ChartServerOptions"/> at start-up; each failure names the key, the value and the range.</summary>
internal sealed class ChartServerOptionsValidator : IValidateOptions<ChartServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ChartServerOptions options)
    {
        var failures = new List<string>();
        Positive(failures, nameof(options.ChartCacheDuration), options.ChartCacheDuration);
        Positive(failures, nameof(options.ChartCacheIdleTimeout), options.ChartCacheIdleTimeout);
        Positive(failures, nameof(options.SendTimeout), options.SendTimeout);
        Positive(failures, nameof(options.KeepAliveInterval), options.KeepAliveInterval);
        Positive(failures, nameof(options.KeepAliveTimeout), options.KeepAliveTimeout);
        Positive(failures, nameof(options.ApiRateWindow), options.ApiRateWindow);
        Positive(failures, nameof(options.LiveCacheDuration), options.LiveCacheDuration);
        Positive(failures, nameof(options.LiveStaleAfter), options.LiveStaleAfter);
        if (options.MaxWebSocketsPerAddress is < 1 or > 1_000_000)
        {
            failures.Add($"ChartServer:MaxWebSocketsPerAddress is {options.MaxWebSocketsPerAddress}; it must be between 1 and 1000000.");
        }

        if (options.ApiRequestsPerWindow is < 1 or > 1_000_000)
        {
            failures.Add($"ChartServer:ApiRequestsPerWindow is {options.ApiRequestsPerWindow}; it must be between 1 and 1000000.");
        }

        if (options.ClientQueueCapacity is < 1 or > 100_000)
        {
            failures.Add($"ChartServer:ClientQueueCapacity is {options.ClientQueueCapacity}; it must be between 1 and 100000.");
        }

        if (options.MaxWebSocketClients is < 1 or > 1_000_000)
        {
            failures.Add($"ChartServer:MaxWebSocketClients is {options.MaxWebSocketClients}; it must be between 1 and 1000000.");
        }

        try
        {
            options.AllowedSymbols();
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            failures.Add($"ChartServer:{key} is {value}; it must be more than 0 and at most 1 day.");
        }
    }
}
