using Microsoft.Extensions.Options;

namespace OrderFlow.Feed.Client;

/// <summary>Validates <see cref="FeedClientOptions"/>: each failure names the option, its value and the allowed range.</summary>
public sealed class FeedClientOptionsValidator : IValidateOptions<FeedClientOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, FeedClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Url is null)
        {
            failures.Add("Feed:Url is required: the WebSocket URL of the feed server, e.g. ws://127.0.0.1:9000/.");
        }
        else if (!options.Url.IsAbsoluteUri || (options.Url.Scheme != "ws" && options.Url.Scheme != "wss"))
        {
            failures.Add($"Feed:Url must be an absolute ws:// or wss:// URL; it is '{FeedClientOptions.Mask(options.Url)}'.");
        }

        Positive(failures, "PingInterval", options.PingInterval);
        Positive(failures, "IdleTimeout", options.IdleTimeout);
        Positive(failures, "ConnectTimeout", options.ConnectTimeout);
        Positive(failures, "ReconnectDelay", options.ReconnectDelay);
        Positive(failures, "MaxReconnectDelay", options.MaxReconnectDelay);
        Positive(failures, "StableConnectionTime", options.StableConnectionTime);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"Feed:MaxReconnectDelay ({options.MaxReconnectDelay}) must not be shorter than Feed:ReconnectDelay ({options.ReconnectDelay}).");
        }

        if (options.IdleTimeout <= options.PingInterval)
        {
            failures.Add($"Feed:IdleTimeout ({options.IdleTimeout}) must be longer than Feed:PingInterval ({options.PingInterval}), or an idle but healthy connection is declared dead.");
        }

        if (options.MaxMessageBytes is < 1024 or > 256 * 1024 * 1024)
        {
            failures.Add($"Feed:MaxMessageBytes must be between 1024 and 268435456 (256 MiB; the default 32 MiB holds a 100,000-bar history answer twice over); it is {options.MaxMessageBytes}.");
        }

        if (options.LiveQueueCapacity < 1)
        {
            failures.Add($"Feed:LiveQueueCapacity must be at least 1; it is {options.LiveQueueCapacity}.");
        }

        if (options.BackfillMarginBars < 0)
        {
            failures.Add($"Feed:BackfillMarginBars must not be negative; it is {options.BackfillMarginBars}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Feed:{name} must be positive; it is {value}.");
        }
    }
}
