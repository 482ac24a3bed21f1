using OrderFlow.Candles;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Databento.Replay;

/// <summary>Settings of a <see cref="DbnReplaySource"/>: the replay settings of <see cref="ReplayOptions"/>, and which roots and bars to read. Every default is documented on its property.</summary>
public sealed class DbnReplayOptions : ReplayOptions
{
    /// <summary>
    /// The root symbols to serve (for example GC and ES out of a file of many products); <see langword="null"/> or
    /// empty (default) serves every root in the files. Records of other roots are skipped while loading.
    /// </summary>
    public IReadOnlyList<Symbol>? Symbols { get; set; }

    /// <summary>
    /// The timeframe of OHLCV bars whose record type does not tell it — the deprecated rtype 0x11 of old DBN files in
    /// a file whose metadata has no schema. <see langword="null"/> (default): from the record type (0x20 1s, 0x21 1m,
    /// 0x22 1h, 0x23 1d), else from the file's schema; such a bar in a file with neither is an error.
    /// </summary>
    public Timeframe? OhlcvTimeframe { get; set; }

    /// <summary>The default of <see cref="MaxTicks"/>: 200,000 trades (about 30 MB while loading).</summary>
    public const int DefaultMaxTicks = 200_000;

    /// <summary>
    /// The tick window: how many trades at most are kept to be replayed as ticks (the first ones read, over all
    /// files). Later trades are folded into 1-minute candles (with their order flow) as they are decoded, and replay
    /// as candle records revealed when their minute closes, so the memory a replay takes grows with the time span,
    /// not with the number of trades. Default <see cref="DefaultMaxTicks"/>; 0 folds every trade; at least 0.
    /// </summary>
    public int MaxTicks { get; set; } = DefaultMaxTicks;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ReplayOptions.Speed"/> or <see cref="MaxTicks"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="ReplayOptions.LiveTimeframes"/> is null, or <see cref="Symbols"/> holds the empty symbol.</exception>
    public override void Validate()
    {
        base.Validate();
        if (MaxTicks < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MaxTicks), MaxTicks, "MaxTicks must be at least 0 (0 folds every trade into 1-minute candles).");
        }

        if (Symbols is not null && Symbols.Any(static s => s.IsEmpty))
        {
            ThrowHelper.ThrowArgument(nameof(Symbols), "Symbols must not contain the empty symbol; use Symbol.Parse or a well-known symbol such as Symbol.GC.");
        }
    }
}
