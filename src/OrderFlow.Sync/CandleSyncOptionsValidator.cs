using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Redis;
using OrderFlow.Sync.Rules;

namespace OrderFlow.Sync;

/// <summary>
/// Validates <see cref="CandleSyncOptions"/> and the <c>Rules</c> section: each failure is one sentence that names the
/// configuration key, the bad value and what is allowed.
/// </summary>
/// <param name="section">The section named in failures.</param>
/// <param name="configuration">The configuration the <c>Rules</c> section is read from, if any.</param>
/// <param name="rulesSection">The rules section.</param>
/// <param name="liveTtl">The TTL of the live keys (the chart store's <c>CurrentTtl</c>); the default when unknown.</param>
internal sealed class CandleSyncOptionsValidator(string section, IConfiguration? configuration, string rulesSection, TimeSpan? liveTtl = null) : IValidateOptions<CandleSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, CandleSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var symbols = new HashSet<Symbol>();
        for (var i = 0; i < options.Symbols.Count; i++)
        {
            var value = options.Symbols[i];
            if (!Symbol.TryParse(value, out var symbol))
            {
                failures.Add($"{section}:Symbols[{i}]: '{value}' is not a valid symbol (1 to {Symbol.MaxLength} of A-Z, 0-9, '.', '_', '-').");
            }
            else if (!symbols.Add(symbol))
            {
                failures.Add($"{section}:Symbols[{i}]: '{value}' is listed twice.");
            }
        }

        var timeframes = new HashSet<Timeframe>();
        for (var i = 0; i < options.Timeframes.Count; i++)
        {
            var value = options.Timeframes[i];
            if (!Timeframe.TryParse(value, out var timeframe))
            {
                failures.Add($"{section}:Timeframes[{i}]: '{value}' is not a timeframe (1m 5m 15m 1h 4h 1d).");
            }
            else if (!timeframes.Add(timeframe))
            {
                failures.Add($"{section}:Timeframes[{i}]: '{value}' is listed twice.");
            }
        }

        if (options.Symbols.Count == 0)
        {
            failures.Add($"{section}:Symbols must list at least one symbol.");
        }

        if (options.Timeframes.Count == 0)
        {
            failures.Add($"{section}:Timeframes must list at least one timeframe.");
        }

        foreach (var (key, bars) in options.HistoryBars)
        {
            if (!Timeframe.TryParse(key, out _))
            {
                failures.Add($"{section}:HistoryBars:{key}: '{key}' is not a timeframe (1m 5m 15m 1h 4h 1d).");
            }
            else if (bars is < 1 or > 1_000_000)
            {
                failures.Add($"{section}:HistoryBars:{key} must be between 1 and 1000000; it is {bars}.");
            }
        }

        Positive(failures, "ChartSyncInterval", options.ChartSyncInterval);
        // At most half the live TTL: a series that keeps changing has its keys rewritten at least twice per TTL, so
        // one failed write never lets them expire while the market is open.
        var maxLiveWriteInterval = (liveTtl ?? ChartStoreOptions.DefaultCurrentTtl) / 2;
        if (options.LiveWriteInterval <= TimeSpan.Zero || options.LiveWriteInterval > maxLiveWriteInterval)
        {
            failures.Add($"{section}:LiveWriteInterval must be > 0 and at most half the live keys' TTL ({maxLiveWriteInterval}); it is {options.LiveWriteInterval}.");
        }

        Positive(failures, "HistorySyncInterval", options.HistorySyncInterval);
        Positive(failures, "StatusLogInterval", options.StatusLogInterval);
        Positive(failures, "BackfillTimeout", options.BackfillTimeout);
        Positive(failures, "MaxMessageAge", options.MaxMessageAge);
        if (options.FutureTolerance < TimeSpan.Zero)
        {
            failures.Add($"{section}:FutureTolerance must not be negative; it is {options.FutureTolerance}.");
        }

        if (configuration is not null)
        {
            var error = CandleRuleBookConfiguration.TryLoad(configuration.GetSection(rulesSection), out _);
            if (error is not null)
            {
                failures.Add(error);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{section}:{key} must be > 0; it is {value}.");
        }
    }
}
