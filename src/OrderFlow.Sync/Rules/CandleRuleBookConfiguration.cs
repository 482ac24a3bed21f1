using System.Globalization;
using Microsoft.Extensions.Configuration;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Sync.Rules;

/// <summary>
/// Reads the rules table from configuration (the <c>Rules</c> section) on top of
/// <see cref="CandleRuleBook.Default"/>.
/// </summary>
/// <remarks>
/// <para>Three levels, each optional; a later level overrides an earlier one:</para>
/// <list type="table">
/// <listheader><term>key</term><description>meaning</description></listheader>
/// <item><term><c>Rules:Default:{Field}</c></term><description>the rules of a symbol with no entry of its own
/// (<see cref="CandleRuleBook.Fallback"/>; built in: no spike rejection, no wick clamp).</description></item>
/// <item><term><c>Rules:{Symbol}:{Field}</c></term><description>the symbol's 1-minute rules; <c>MaxPriceMove</c>
/// and <c>MaxWick</c> are scaled to the coarser timeframes by √(minutes) and rounded up to
/// <c>Rules:{Symbol}:TickSize</c> (built in for GC SI CL ES NQ; required with a price limit for other symbols,
/// otherwise the rules apply unscaled to every timeframe).</description></item>
/// <item><term><c>Rules:{Symbol}:{Timeframe}:{Field}</c></term><description>one series exactly, unscaled.</description></item>
/// </list>
/// <para>
/// Fields: <c>MaxPriceMove</c>, <c>MaxWick</c> (points; <c>Infinity</c> turns the rule off),
/// <c>MaxOutlierRatio</c> (a factor greater than 1, never scaled; <c>Infinity</c> turns the rule off),
/// <c>ContinuityGap</c>, <c>HistoryWindow</c>, <c>MaxFutureSkew</c> (time spans, e.g. <c>10:00:00</c>,
/// <c>365.00:00:00</c>), <c>SpikeRecoveryCount</c>, <c>LiveBufferSize</c> (integers), <c>History</c>, <c>Live</c>
/// (rule sets: <c>None</c>, <c>All</c> or a list such as <c>Continuity, OutlierRejection</c>). Numbers use the
/// invariant culture.
/// </para>
/// </remarks>
public static class CandleRuleBookConfiguration
{
    /// <summary>The configuration section the rules are read from by default: <c>Rules</c>.</summary>
    public const string DefaultSection = "Rules";

    private const string DefaultKey = "Default";
    private const string TickSizeKey = "TickSize";

    /// <summary>Reads the rules table from a configuration section.</summary>
    /// <param name="section">The section (for example <c>configuration.GetSection("Rules")</c>).</param>
    /// <returns><see cref="CandleRuleBook.Default"/> with the section's overrides.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A key or value is invalid; the message names the key.</exception>
    public static CandleRuleBook Load(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var error = TryLoad(section, out var book);
        return error is null ? book! : throw new FormatException(error);
    }

    internal static string? TryLoad(IConfigurationSection section, out CandleRuleBook? book)
    {
        book = CandleRuleBook.Default;
        try
        {
            var fallback = section.GetSection(DefaultKey);
            if (fallback.Exists())
            {
                book = book.WithFallback(Apply(book.Fallback, fallback, allowTickSize: false));
            }

            foreach (var child in section.GetChildren())
            {
                if (child.Key == DefaultKey)
                {
                    continue;
                }

                if (!Symbol.TryParse(child.Key, out var symbol))
                {
                    return $"{child.Path}: '{child.Key}' is neither 'Default' nor a valid symbol.";
                }

                book = ApplySymbol(book, symbol, child);
            }

            return null;
        }
        catch (FormatException ex)
        {
            book = null;
            return ex.Message;
        }
    }

    private static CandleRuleBook ApplySymbol(CandleRuleBook book, Symbol symbol, IConfigurationSection section)
    {
        var fields = section.GetChildren().Where(c => !Timeframe.TryParse(c.Key, out _)).ToList();
        if (fields.Count > 0)
        {
            var tickSize = CandleRuleBook.DefaultContracts.TryGetValue(symbol, out var spec) ? spec.TickSize : (double?)null;
            if (section.GetSection(TickSizeKey) is { Value: not null } tick)
            {
                tickSize = ParseDouble(tick);
                if (!(tickSize > 0 && double.IsFinite(tickSize.Value)))
                {
                    throw new FormatException($"{tick.Path} must be a positive number of points; it is '{tick.Value}'.");
                }
            }

            var oneMinute = Apply(book.Get(symbol, Timeframe.OneMinute), section, allowTickSize: true);
            var hasLimits = section.GetSection(nameof(CandleRules.MaxPriceMove)).Value is not null || section.GetSection(nameof(CandleRules.MaxWick)).Value is not null;
            if (tickSize is { } size)
            {
                book = book.WithScaled(symbol, oneMinute, size);
            }
            else if (hasLimits)
            {
                throw new FormatException($"{section.Path}:{TickSizeKey} is required to scale {section.Path}:MaxPriceMove and MaxWick to the coarser timeframes ('{symbol}' has no built-in contract).");
            }
            else
            {
                book = book.With(symbol, oneMinute);
            }
        }

        foreach (var child in section.GetChildren())
        {
            if (Timeframe.TryParse(child.Key, out var timeframe))
            {
                book = book.With(symbol, timeframe, Apply(book.Get(symbol, timeframe), child, allowTickSize: false));
            }
        }

        return book;
    }

    private static CandleRules Apply(CandleRules rules, IConfigurationSection section, bool allowTickSize)
    {
        foreach (var field in section.GetChildren())
        {
            if (Timeframe.TryParse(field.Key, out _) && allowTickSize)
            {
                continue;
            }

            if (field.Value is null)
            {
                throw new FormatException($"{field.Path}: '{field.Key}' is not a rule field (MaxPriceMove, MaxWick, MaxOutlierRatio, ContinuityGap, SpikeRecoveryCount, HistoryWindow, MaxFutureSkew, LiveBufferSize, History, Live{(allowTickSize ? ", TickSize, or a timeframe" : string.Empty)}).");
            }

            rules = field.Key switch
            {
                nameof(CandleRules.MaxPriceMove) => rules with { MaxPriceMove = ParseDouble(field) },
                nameof(CandleRules.MaxWick) => rules with { MaxWick = ParseDouble(field) },
                nameof(CandleRules.MaxOutlierRatio) => rules with { MaxOutlierRatio = ParseRatio(field) },
                nameof(CandleRules.ContinuityGap) => rules with { ContinuityGap = ParseTimeSpan(field) },
                nameof(CandleRules.HistoryWindow) => rules with { HistoryWindow = ParseTimeSpan(field) },
                nameof(CandleRules.MaxFutureSkew) => rules with { MaxFutureSkew = ParseTimeSpan(field) },
                nameof(CandleRules.SpikeRecoveryCount) => rules with { SpikeRecoveryCount = ParseInt(field) },
                nameof(CandleRules.LiveBufferSize) => rules with { LiveBufferSize = ParseInt(field) },
                nameof(CandleRules.History) => rules with { History = ParseRuleSet(field) },
                nameof(CandleRules.Live) => rules with { Live = ParseRuleSet(field) },
                TickSizeKey when allowTickSize => rules,
                _ => throw new FormatException($"{field.Path}: '{field.Key}' is not a rule field (MaxPriceMove, MaxWick, MaxOutlierRatio, ContinuityGap, SpikeRecoveryCount, HistoryWindow, MaxFutureSkew, LiveBufferSize, History, Live{(allowTickSize ? ", TickSize, or a timeframe" : string.Empty)})."),
            };
        }

        try
        {
            rules.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            var key = ex.ParamName is null ? section.Path : $"{section.Path}:{ex.ParamName}";
            throw new FormatException($"{key}: {FirstLine(ex.Message)}");
        }

        return rules;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private static double ParseDouble(IConfigurationSection field) =>
        double.TryParse(field.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value)
            ? value
            : throw new FormatException($"{field.Path} must be a number (points, or Infinity to turn the rule off); it is '{field.Value}'.");

    private static double ParseRatio(IConfigurationSection field) =>
        double.TryParse(field.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value)
            ? value
            : throw new FormatException($"{field.Path} must be a number greater than 1 (a factor, or Infinity to turn the rule off); it is '{field.Value}'.");

    private static int ParseInt(IConfigurationSection field) =>
        int.TryParse(field.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{field.Path} must be a whole number; it is '{field.Value}'.");

    private static TimeSpan ParseTimeSpan(IConfigurationSection field) =>
        TimeSpan.TryParse(field.Value, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{field.Path} must be a time span such as 10:00:00 or 365.00:00:00; it is '{field.Value}'.");

    private static RuleSet ParseRuleSet(IConfigurationSection field) =>
        Enum.TryParse<RuleSet>(field.Value, ignoreCase: true, out var value) && (value & ~RuleSet.All) == 0 && !int.TryParse(field.Value, out _)
            ? value
            : throw new FormatException($"{field.Path} must be None, All, or a comma-separated list of Continuity, WickClamp, SpikeRejection, OutlierRejection; it is '{field.Value}'.");

}
