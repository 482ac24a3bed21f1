namespace OrderFlow.Candles;

/// <summary>
/// Why a candle or a tick was not accepted. Every rule that drops market data reports one of these, so that
/// callers can count and log rejections instead of losing data silently.
/// </summary>
/// <remarks>
/// The numeric values are stable (they are used as metric tag values and in logs): add new members at the end.
/// </remarks>
public enum CandleRejection
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>A price was NaN or infinite.</summary>
    NonFinitePrice = 1,

    /// <summary>A price was zero or negative.</summary>
    NonPositivePrice = 2,

    /// <summary>The volume (or a tick's size) was negative, NaN, or above <see cref="Candle.MaxVolume"/>.</summary>
    InvalidVolume = 3,

    /// <summary>The time was negative or later than year 5138 (see <see cref="UnixTime"/>).</summary>
    TimeOutOfRange = 4,

    /// <summary>The candle is older than the retention window (365 days by default).</summary>
    OutsideWindow = 5,

    /// <summary>The candle starts further in the future than the allowed clock skew.</summary>
    InFuture = 6,

    /// <summary>
    /// The price moved further from the last accepted close than the spike limit
    /// (<see cref="Rules.CandleRules.MaxPriceMove"/>, 15 points for GC 1m).
    /// </summary>
    Spike = 7,

    /// <summary>
    /// The tick or candle belongs to a candle that is no longer held (older than the live buffer, or an
    /// already-closed aggregation bucket).
    /// </summary>
    Late = 8,

    /// <summary>
    /// A history candle whose high or low lies more than a factor (<see cref="Rules.CandleRules.MaxOutlierRatio"/>,
    /// 2 by default) away from the median close of its neighbours: a decimal shift, a unit error or a corrupt number
    /// such as 1e308.
    /// </summary>
    Outlier = 9,
}
