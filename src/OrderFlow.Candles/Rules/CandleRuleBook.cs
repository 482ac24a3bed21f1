using System.Collections.Frozen;

namespace OrderFlow.Candles.Rules;

/// <summary>
/// The rules table: <see cref="CandleRules"/> keyed by symbol and timeframe, with built-in defaults for GC, SI, CL,
/// ES and NQ and overrides.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why a table.</b> The seed's flat limits (spikes over 15 points rejected, wicks over 10 points clamped) were
/// tuned for gold on the 1-minute chart. Applied to every contract they would reject nearly every genuine NQ minute
/// and never trip for CL or SI, and a 10-point wick limit would mangle real GC daily bars.
/// </para>
/// <para>
/// <b>Defaults.</b> GC 1m keeps the seed's exact numbers. They are 0.75 % (spike) and 0.5 % (wick) of a
/// reference gold price of 2,000; every other contract gets the same fractions of its own reference price, rounded
/// up to a whole tick. Coarser timeframes scale both limits by √(minutes), since price ranges grow roughly with the
/// square root of time (5m ×2.24, 15m ×3.87, 1h ×7.75, 4h ×15.5, 1d ×37.9), applied to the rounded 1-minute limits. The continuity gap (10 h), recovery
/// count (3), window (365 days) and buffer (500) are the seed's for every entry.
/// </para>
/// <list type="table">
/// <listheader><term>symbol (tick, reference)</term><description>1m spike / wick → 1h → 1d</description></listheader>
/// <item><term>GC (0.10, 2,000)</term><description>15 / 10 → 116.2 / 77.5 → 569.3 / 379.5</description></item>
/// <item><term>SI (0.005, 25)</term><description>0.19 / 0.125 → 1.475 / 0.97 → 7.21 / 4.745</description></item>
/// <item><term>CL (0.01, 75)</term><description>0.57 / 0.38 → 4.42 / 2.95 → 21.63 / 14.42</description></item>
/// <item><term>ES (0.25, 5,000)</term><description>37.5 / 25 → 290.5 / 193.75 → 1423.25 / 948.75</description></item>
/// <item><term>NQ (0.25, 17,500)</term><description>131.25 / 87.5 → 1016.75 / 678 → 4980.75 / 3320.5</description></item>
/// </list>
/// <para>
/// A symbol with no entry gets <see cref="Fallback"/>, which by default is <see cref="CandleRules.Unlimited"/>:
/// no rejection or clamping for an instrument whose scale is unknown. Instances are immutable and thread-safe;
/// the <c>With</c> methods return new books.
/// </para>
/// </remarks>
public sealed class CandleRuleBook
{
    /// <summary>The price level the seed's GC limits are taken to be tuned for.</summary>
    public const double SeedReferencePrice = 2000;

    private static readonly FrozenDictionary<Symbol, ContractSpec> s_contracts = new Dictionary<Symbol, ContractSpec>
    {
        [Symbol.GC] = new(0.10, 2_000),
        [Symbol.SI] = new(0.005, 25),
        [Symbol.CL] = new(0.01, 75),
        [Symbol.ES] = new(0.25, 5_000),
        [Symbol.NQ] = new(0.25, 17_500),
    }.ToFrozenDictionary();

    private readonly Dictionary<(Symbol, int), CandleRules> _entries;

    private CandleRuleBook(Dictionary<(Symbol, int), CandleRules> entries, CandleRules fallback)
    {
        _entries = entries;
        Fallback = fallback;
    }

    /// <summary>The built-in table: GC, SI, CL, ES and NQ on all six timeframes, derived as the remarks describe.</summary>
    public static CandleRuleBook Default { get; } = CreateDefault();

    /// <summary>The contract scales behind <see cref="Default"/>: tick size and reference price per symbol.</summary>
    public static IReadOnlyDictionary<Symbol, ContractSpec> DefaultContracts => s_contracts;

    /// <summary>The rules for a symbol with no entry.</summary>
    public CandleRules Fallback { get; }

    /// <summary>The symbols that have entries.</summary>
    public IEnumerable<Symbol> Symbols => _entries.Keys.Select(k => k.Item1).Distinct();

    /// <summary>Returns the rules for a symbol and timeframe, or <see cref="Fallback"/> when the symbol has none.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>The rules; never <see langword="null"/>.</returns>
    public CandleRules Get(Symbol symbol, Timeframe timeframe) =>
        _entries.TryGetValue((symbol, timeframe.Ordinal), out var rules) ? rules : Fallback;

    /// <summary>
    /// Derives the rules of a contract for every timeframe from its 1-minute rules: the two price limits scale by
    /// √(minutes) and round up to the tick size.
    /// </summary>
    /// <param name="oneMinute">The 1-minute rules.</param>
    /// <param name="tickSize">The contract's tick size in points.</param>
    /// <param name="timeframe">The timeframe to derive.</param>
    /// <returns>The rules for <paramref name="timeframe"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="oneMinute"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tickSize"/> is not a positive finite number.</exception>
    public static CandleRules ScaleToTimeframe(CandleRules oneMinute, double tickSize, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(oneMinute);
        return oneMinute.ScaleLimits(Math.Sqrt(timeframe.Seconds / 60.0), tickSize);
    }

    /// <summary>Returns a book with <paramref name="rules"/> for one symbol and timeframe.</summary>
    /// <param name="symbol">The symbol; not empty.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="rules">The rules; validated here.</param>
    /// <returns>A new book; this one is unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public CandleRuleBook With(Symbol symbol, Timeframe timeframe, CandleRules rules)
    {
        CheckSymbol(symbol);
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var entries = new Dictionary<(Symbol, int), CandleRules>(_entries) { [(symbol, timeframe.Ordinal)] = rules };
        return new CandleRuleBook(entries, Fallback);
    }

    /// <summary>Returns a book with <paramref name="rules"/> for one symbol on every timeframe, unscaled.</summary>
    /// <param name="symbol">The symbol; not empty.</param>
    /// <param name="rules">The rules; validated here.</param>
    /// <returns>A new book; this one is unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public CandleRuleBook With(Symbol symbol, CandleRules rules)
    {
        CheckSymbol(symbol);
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var entries = new Dictionary<(Symbol, int), CandleRules>(_entries);
        foreach (var tf in Timeframe.All)
        {
            entries[(symbol, tf.Ordinal)] = rules;
        }

        return new CandleRuleBook(entries, Fallback);
    }

    /// <summary>
    /// Returns a book with rules for one symbol derived from its 1-minute rules and tick size, as the defaults are.
    /// </summary>
    /// <param name="symbol">The symbol; not empty.</param>
    /// <param name="oneMinute">The 1-minute rules; validated here.</param>
    /// <param name="tickSize">The contract's tick size in points.</param>
    /// <returns>A new book; this one is unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="oneMinute"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public CandleRuleBook WithScaled(Symbol symbol, CandleRules oneMinute, double tickSize)
    {
        CheckSymbol(symbol);
        ArgumentNullException.ThrowIfNull(oneMinute);
        oneMinute.Validate();
        var entries = new Dictionary<(Symbol, int), CandleRules>(_entries);
        foreach (var tf in Timeframe.All)
        {
            entries[(symbol, tf.Ordinal)] = ScaleToTimeframe(oneMinute, tickSize, tf);
        }

        return new CandleRuleBook(entries, Fallback);
    }

    /// <summary>Returns a book whose <see cref="Fallback"/> is <paramref name="rules"/>.</summary>
    /// <param name="rules">The rules for symbols with no entry; validated here.</param>
    /// <returns>A new book; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public CandleRuleBook WithFallback(CandleRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        return new CandleRuleBook(new Dictionary<(Symbol, int), CandleRules>(_entries), rules);
    }

    private static CandleRuleBook CreateDefault()
    {
        var entries = new Dictionary<(Symbol, int), CandleRules>();
        foreach (var (symbol, spec) in s_contracts)
        {
            var oneMinute = symbol == Symbol.GC
                ? CandleRules.Seed
                : CandleRules.Seed.ScaleLimits(spec.ReferencePrice / SeedReferencePrice, spec.TickSize);
            foreach (var tf in Timeframe.All)
            {
                entries[(symbol, tf.Ordinal)] = ScaleToTimeframe(oneMinute, spec.TickSize, tf);
            }
        }

        return new CandleRuleBook(entries, CandleRules.Unlimited);
    }

    private static void CheckSymbol(Symbol symbol)
    {
        if (symbol.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(symbol), "The symbol is empty (default); parse one with Symbol.Parse.");
        }
    }
}
