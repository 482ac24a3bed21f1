namespace OrderFlow.Candles.Rules;

/// <summary>
/// Which of the seed's repair and rejection rules apply at a given place (stored history or the live path).
/// </summary>
/// <remarks>
/// OHLC validity (finite, positive prices; high and low enclosing open and close) always applies and is not
/// listed here. The seed applies <see cref="Continuity"/> to stored history and all three rules on the live path;
/// those are the defaults of <see cref="CandleRules.History"/> and <see cref="CandleRules.Live"/>.
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

    /// <summary>All three rules.</summary>
    All = Continuity | WickClamp | SpikeRejection,
}
