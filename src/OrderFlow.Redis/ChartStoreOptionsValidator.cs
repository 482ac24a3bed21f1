using Microsoft.Extensions.Options;

namespace OrderFlow.Redis;

/// <summary>Validates <see cref="ChartStoreOptions"/>: each failure names the option, its value and the allowed range.</summary>
public sealed class ChartStoreOptionsValidator : IValidateOptions<ChartStoreOptions>
{
    /// <summary>Whether <see cref="ChartStoreOptions.Configuration"/> is required (true for the Redis store).</summary>
    public bool RequireConfiguration { get; init; } = true;

    /// <summary>The configuration section named in failure messages (<c>ChartStore</c>, or the section bound by DI).</summary>
    internal string Section { get; init; } = "ChartStore";

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ChartStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (RequireConfiguration && string.IsNullOrWhiteSpace(options.Configuration))
        {
            failures.Add($"{Section}:Configuration is required: a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379 or host:6380,ssl=true,password=….");
        }

        var prefix = options.KeyPrefix ?? string.Empty;
        if (prefix.Length > ChartStoreOptions.MaxKeyPrefixLength || !prefix.All(IsPrefixChar))
        {
            failures.Add($"{Section}:KeyPrefix must be at most {ChartStoreOptions.MaxKeyPrefixLength} characters of letters, digits and ': . _ - {{ }}'; it is '{prefix}'.");
        }

        Ttl(failures, Section, "ChartTtl", options.ChartTtl);
        Ttl(failures, Section, "CurrentTtl", options.CurrentTtl);
        Ttl(failures, Section, "BufferTtl", options.BufferTtl);
        if (options.BufferSize is < 1 or > 100_000)
        {
            failures.Add($"{Section}:BufferSize must be between 1 and 100000; it is {options.BufferSize}.");
        }

        if (options.BufferRefreshInterval < TimeSpan.Zero || options.BufferRefreshInterval > options.BufferTtl / 2)
        {
            failures.Add($"{Section}:BufferRefreshInterval must be between 0 and half of BufferTtl ({options.BufferTtl / 2}), so a buffer that keeps changing is rewritten before it expires; it is {options.BufferRefreshInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates the options and throws when they are invalid.</summary>
    /// <param name="options">The options.</param>
    /// <param name="requireConfiguration">Whether the Redis configuration string is required.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every failure.</exception>
    internal static void ThrowIfInvalid(ChartStoreOptions options, bool requireConfiguration)
    {
        var result = new ChartStoreOptionsValidator { RequireConfiguration = requireConfiguration }.Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ChartStoreOptions), result.Failures);
        }
    }

    private static bool IsPrefixChar(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-' or '{' or '}';

    private static void Ttl(List<string> failures, string section, string name, TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromDays(3650))
        {
            failures.Add($"{section}:{name} must be between 1 second and 3650 days; it is {value}.");
        }
    }
}
