using System.Globalization;
using Microsoft.Extensions.Options;

namespace OrderFlow.Databento;

/// <summary>Validates <see cref="DatabentoLiveOptions"/> at start-up; every message names the setting, the value and what is allowed.</summary>
public sealed class DatabentoLiveOptionsValidator : IValidateOptions<DatabentoLiveOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DatabentoLiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> GetErrors(DatabentoLiveOptions options)
    {
        var errors = new List<string>();
        var key = options.ResolveApiKey();
        if (string.IsNullOrWhiteSpace(key))
        {
            errors.Add($"ApiKey is not set: set it in configuration or in the {DatabentoLiveOptions.ApiKeyEnvironmentVariable} environment variable.");
        }
        else if (key.Length < 6 || key.Any(char.IsWhiteSpace))
        {
            errors.Add($"ApiKey {ApiKeyMask.Mask(key)} is not a Databento API key (32 characters without spaces, starting with db-).");
        }

        if (string.IsNullOrWhiteSpace(options.Dataset) || options.Dataset.Contains('|', StringComparison.Ordinal))
        {
            errors.Add($"Dataset '{options.Dataset}' is invalid: expected a dataset code such as GLBX.MDP3.");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Port {options.Port} is out of range: expected 1–65535 (Databento: 13000)."));
        }

        if (options.Subscriptions.Count == 0)
        {
            errors.Add("Subscriptions is empty: add at least one (for example schema ohlcv-1m, stype_in continuous, symbols GC.c.0).");
        }

        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            var s = options.Subscriptions[i];
            if (s.Symbols.Count == 0 || s.Symbols.Any(x => string.IsNullOrWhiteSpace(x) || x.IndexOfAny(['|', ',', '\n', '\r']) >= 0))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"Subscriptions[{i}].Symbols '{string.Join(',', s.Symbols)}' is invalid: expected one or more symbols without '|', ',' or line breaks."));
            }

            if (s.STypeIn is not (DbnSType.RawSymbol or DbnSType.Parent or DbnSType.Continuous or DbnSType.InstrumentId))
            {
                errors.Add($"Subscriptions[{i}].STypeIn {s.STypeIn} is not supported by Live: expected RawSymbol, Parent, Continuous or InstrumentId.");
            }

            if (!Enum.IsDefined(s.Schema))
            {
                errors.Add($"Subscriptions[{i}].Schema {s.Schema} is unknown.");
            }
        }

        if (options.HeartbeatInterval is { } hb && (hb.Ticks % TimeSpan.TicksPerSecond != 0 || hb < TimeSpan.FromSeconds(5) || hb > TimeSpan.FromSeconds(1800)))
        {
            errors.Add($"HeartbeatInterval {hb} is invalid: expected whole seconds from 00:00:05 to 00:30:00, or null for the gateway default (30 s).");
        }

        if (options.HeartbeatTimeoutMargin < TimeSpan.Zero || options.HeartbeatTimeoutMargin > TimeSpan.FromMinutes(10))
        {
            errors.Add($"HeartbeatTimeoutMargin {options.HeartbeatTimeoutMargin} is out of range: expected 00:00:00–00:10:00.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ConnectTimeout {options.ConnectTimeout} must be positive.");
        }

        if (options.ReconnectMinDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectMinDelay)
        {
            errors.Add($"ReconnectMinDelay {options.ReconnectMinDelay} / ReconnectMaxDelay {options.ReconnectMaxDelay} are invalid: expected 0 < min ≤ max.");
        }

        if (options.StableConnectionTime <= TimeSpan.Zero)
        {
            errors.Add($"StableConnectionTime {options.StableConnectionTime} must be positive: how long a session must stay up with data before the reconnect backoff starts over.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientName) || options.ClientName.IndexOfAny(['|', '\n', '\r']) >= 0)
        {
            errors.Add($"ClientName '{options.ClientName}' is invalid: expected text without '|' or line breaks.");
        }

        return errors;
    }
}
