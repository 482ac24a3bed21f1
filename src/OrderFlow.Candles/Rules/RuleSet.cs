namespace OrderFlow.Candles.Rules;

/// <summary>
/// Which of the seed's repair and rejection rules apply at a given place (stored history or the live path).
/// </summary>
/// <remarks>
/// OHLC validity (finite, positive prices; high and low enclosing open and close) always applies and is not
/// listed here. The defaults of <see cref="CandleRules.History"/> and <see cref="CandleRules.Live"/>:
/// <see cref="Continuity"/> and <see cref="OutlierRejection"/> for stored history (the seed had continuity only), all
/// rules on the live path.
/// </remarks>
[Flags]
public enum RuleSet
{
    /// <summary>No optional rule.</summary>
    None = 0,

    /// <summary>
    /// Each candle opens at the previous candle's close when the gap between them is at most
    /// <see cref="CandleRules.ContinuityGap"/>; high and low are extended to stay valid.
    /// </summary>
    Continuity = 1,

    /// <summary>Wicks are clamped to <see cref="CandleRules.MaxWick"/> beyond the body.</summary>
    WickClamp = 2,

    /// <summary>
    /// A close (or tick price) further than <see cref="CandleRules.MaxPriceMove"/> from the last accepted close is
    /// rejected as a <see cref="CandleRejection.Spike"/>, with the recovery rule of
    /// <see cref="CandleRules.SpikeRecoveryCount"/>.
    /// </summary>
    SpikeRejection = 4,

    /// <summary>
    /// A history candle whose high or low lies more than <see cref="CandleRules.MaxOutlierRatio"/> times away from the
    /// median close of its neighbours is rejected as a <see cref="CandleRejection.Outlier"/>. It judges a batch
    /// against both sides of each candle, so it applies to history only (history answers and restored charts, see
    /// <see cref="CandleSeries.RejectOutliers"/>); on the live path, where only the past is known, spike rejection
    /// does that work.
    /// </summary>
    OutlierRejection = 8,

    /// <summary>All four rules.</summary>
    All = Continuity | WickClamp | SpikeRejection | OutlierRejection,
}
