using System.Globalization;

namespace OrderFlow.Candles.Rules;

/// <summary>
/// The numbers behind the seed's data rules, for one symbol and timeframe: spike limit, wick limit, outlier ratio,
/// continuity gap, retention window and live buffer size, and where each rule applies.
/// </summary>
/// <remarks>
/// <para>
/// A new instance holds the seed's numbers, which were tuned for gold (GC) on the 1-minute chart: spikes over
/// 15 points rejected, wicks clamped to 10 points beyond the body, continuity across gaps of up to 10 hours,
/// 365 days kept, 500 live candles buffered. On top of the seed, history candles more than twice or less than half
/// their neighbours' level are rejected (<see cref="MaxOutlierRatio"/>). <see cref="CandleRuleBook"/> holds
/// per-symbol, per-timeframe values.
/// </para>
/// <para>
/// A limit of <see cref="double.PositiveInfinity"/> turns its rule off. Consumers call <see cref="Validate"/>
/// when they are constructed, so an invalid instance fails at start-up, not on the first tick. Instances are
/// immutable and thread-safe.
/// </para>
/// </remarks>
public sealed record CandleRules
{
    /// <summary>
    /// The seed's rules (GC 1m): 15 / 10 points, 10 h, 3 to recover, 365 days, 500 candles, plus history outlier
    /// rejection at a ratio of 2.
    /// </summary>
    public static CandleRules Seed { get; } = new();

    /// <summary>
    /// Rules that never reject or clamp (limits and outlier ratio infinite), with continuity on in history and on the
    /// live path, for instruments with no known scale.
    /// </summary>
    public static CandleRules Unlimited { get; } = new()
    {
        MaxPriceMove = double.PositiveInfinity,
        MaxWick = double.PositiveInfinity,
        MaxOutlierRatio = double.PositiveInfinity,
    };

    /// <summary>
    /// The largest move, in price points, of a live close or a tick price away from the last accepted close; a larger
    /// move is a <see cref="CandleRejection.Spike"/>. Seed: 15. Must be positive; infinity turns the rule off.
    /// </summary>
    public double MaxPriceMove { get; init; } = 15;

    /// <summary>
    /// The longest wick, in price points, beyond the body: high ≤ max(open, close) + MaxWick and
    /// low ≥ min(open, close) − MaxWick. Seed: 10. Must not be negative; infinity turns the rule off.
    /// </summary>
    public double MaxWick { get; init; } = 10;

    /// <summary>
    /// How far, as a factor, a history candle may lie from its neighbours: a candle whose high is above the median
    /// close of its neighbours times this ratio, or whose low is below that median divided by it, is a
    /// <see cref="CandleRejection.Outlier"/> (see <see cref="CandleSeries.RejectOutliers"/>). A ratio, not points, so
    /// one number fits every contract and timeframe and is never scaled. Default 2. Must be greater than 1; infinity
    /// turns the rule off.
    /// </summary>
    public double MaxOutlierRatio { get; init; } = 2;

    /// <summary>
    /// The longest gap across which continuity holds. For candles the gap is the time between the end of one
    /// candle and the open of the next (0 for adjacent candles); for ticks, the time between two accepted prices.
    /// A longer gap (a weekend, a holiday) breaks continuity, and also resets the spike reference. Seed: 10 hours.
    /// </summary>
    public TimeSpan ContinuityGap { get; init; } = TimeSpan.FromHours(10);

    /// <summary>
    /// How many consecutive rejected prices that agree with each other (all within <see cref="MaxPriceMove"/> of the
    /// first of them) re-anchor the spike reference, so that a genuine jump larger than the limit does not freeze the
    /// series: the last of them is accepted. 0 means never. Default 3.
    /// </summary>
    public int SpikeRecoveryCount { get; init; } = 3;

    /// <summary>How long history is kept, back from "now". Seed: 365 days. Must be positive.</summary>
    public TimeSpan HistoryWindow { get; init; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How far in the future a candle may open before it is rejected as <see cref="CandleRejection.InFuture"/>
    /// (clock skew between the feed and this machine). Default 1 day. Must not be negative.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How many live candles are held (including the current one). Seed: 500. At least 1.</summary>
    public int LiveBufferSize { get; init; } = 500;

    /// <summary>
    /// The rules applied to stored history. Default: <see cref="RuleSet.Continuity"/> and
    /// <see cref="RuleSet.OutlierRejection"/> (the seed had continuity only).
    /// </summary>
    public RuleSet History { get; init; } = RuleSet.Continuity | RuleSet.OutlierRejection;

    /// <summary>The rules applied on the live path (candle and tick messages). Seed: <see cref="RuleSet.All"/>.</summary>
    public RuleSet Live { get; init; } = RuleSet.All;

    /// <summary>Checks every value and throws on the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names the property, the value and the allowed range.</exception>
    public void Validate()
    {
        if (!(MaxPriceMove > 0))
        {
            Throw(nameof(MaxPriceMove), MaxPriceMove, "must be greater than 0 (PositiveInfinity turns spike rejection off)");
        }

        if (!(MaxWick >= 0))
        {
            Throw(nameof(MaxWick), MaxWick, "must be 0 or more (PositiveInfinity turns the wick clamp off)");
        }

        if (!(MaxOutlierRatio > 1))
        {
            Throw(nameof(MaxOutlierRatio), MaxOutlierRatio, "must be greater than 1 (PositiveInfinity turns outlier rejection off)");
        }

        if (ContinuityGap < TimeSpan.Zero)
        {
            Throw(nameof(ContinuityGap), ContinuityGap, "must not be negative");
        }

        if (SpikeRecoveryCount < 0)
        {
            Throw(nameof(SpikeRecoveryCount), SpikeRecoveryCount, "must be 0 (never re-anchor) or more");
        }

        if (HistoryWindow <= TimeSpan.Zero)
        {
            Throw(nameof(HistoryWindow), HistoryWindow, "must be positive");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            Throw(nameof(MaxFutureSkew), MaxFutureSkew, "must not be negative");
        }

        if (LiveBufferSize < 1)
        {
            Throw(nameof(LiveBufferSize), LiveBufferSize, "must be at least 1");
        }

        if ((History & ~RuleSet.All) != 0 || (Live & ~RuleSet.All) != 0)
        {
            Throw((History & ~RuleSet.All) != 0 ? nameof(History) : nameof(Live), (History & ~RuleSet.All) != 0 ? History : Live, "has unknown flags");
        }
    }

    /// <summary>
    /// Returns these rules with the two price limits multiplied by <paramref name="factor"/> and rounded up to a
    /// multiple of <paramref name="tickSize"/>; <see cref="MaxOutlierRatio"/> is a ratio and stays as it is.
    /// </summary>
    /// <param name="factor">The scale factor, greater than 0.</param>
    /// <param name="tickSize">The instrument's tick size, greater than 0.</param>
    /// <returns>The scaled rules.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a positive finite number.</exception>
    public CandleRules ScaleLimits(double factor, double tickSize)
    {
        if (!(factor > 0 && factor <= double.MaxValue))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(factor), factor, "The factor must be a positive finite number.");
        }

        if (!(tickSize > 0 && tickSize <= double.MaxValue))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(tickSize), tickSize, "The tick size must be a positive finite number.");
        }

        return this with
        {
            MaxPriceMove = RoundUpToTick(MaxPriceMove * factor, tickSize),
            MaxWick = RoundUpToTick(MaxWick * factor, tickSize),
        };
    }

    internal static double RoundUpToTick(double value, double tickSize)
    {
        if (double.IsPositiveInfinity(value))
        {
            return value;
        }

        // Round to 9 significant decimals first so that 37.5000000001 does not become one tick more.
        var ticks = Math.Ceiling(Math.Round(value / tickSize, 6));
        return Math.Round(ticks * tickSize, 9);
    }

    private static void Throw(string name, object value, string rule) =>
        ThrowHelper.ThrowArgumentOutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"CandleRules.{name} {rule}; it is {value}."));
}
