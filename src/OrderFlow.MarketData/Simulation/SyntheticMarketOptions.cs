using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData.Internal;

namespace OrderFlow.MarketData.Simulation;

/// <summary>Settings of a <see cref="SyntheticMarket"/>. Every default is documented on its property.</summary>
/// <remarks>Checked once, when the market is created (<see cref="Validate"/>).</remarks>
public sealed class SyntheticMarketOptions
{
    /// <summary>The seed of every random draw; the same seed, origin and options give the same market. Default 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>
    /// How fast market time runs against the clock: 1 is real time, 60 runs a market minute per second. Default 1;
    /// between 0.001 and 1,000,000. At a speed above 1 the market's times run ahead of the clock.
    /// </summary>
    public double Speed { get; set; } = 1;

    /// <summary>
    /// The market time at which the market starts (its live stream begins here, its generated history ends here);
    /// <see langword="null"/> (default) for the clock's time when the market is created.
    /// </summary>
    public DateTimeOffset? Origin { get; set; }

    /// <summary>The symbols traded. Default GC, SI, CL, ES, NQ (<see cref="Symbol.Defaults"/>).</summary>
    public IReadOnlyList<Symbol> Symbols { get; set; } = Symbol.Defaults;

    /// <summary>
    /// Tick size and reference (starting) price per symbol. Default <see cref="CandleRuleBook.DefaultContracts"/>:
    /// GC 0.10 / 2,000, SI 0.005 / 25, CL 0.01 / 75, ES 0.25 / 5,000, NQ 0.25 / 17,500. Every symbol in
    /// <see cref="Symbols"/> needs an entry.
    /// </summary>
    public IReadOnlyDictionary<Symbol, ContractSpec> Contracts { get; set; } = CandleRuleBook.DefaultContracts;

    /// <summary>
    /// The live rules the market's own candles are built with; a price move is also kept below a quarter of the
    /// 1-minute spike limit, so that clients applying the same rules accept every trade. Default
    /// <see cref="CandleRuleBook.Default"/>.
    /// </summary>
    public CandleRuleBook Rules { get; set; } = CandleRuleBook.Default;

    /// <summary>The timeframes whose live candle updates are streamed. Default 1m only.</summary>
    public IReadOnlyList<Timeframe> LiveTimeframes { get; set; } = [Timeframe.OneMinute];

    /// <summary>The mean time between two trades of a symbol, in market time. Default 250 ms (240 trades a minute); between 1 ms and 1 hour.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The standard deviation of a 1-minute price change as a fraction of the reference price. Default 0.0003
    /// (0.6 points for GC at 2,000); between 0 and 0.002.
    /// </summary>
    public double Volatility { get; set; } = 0.0003;

    /// <summary>How far back the generated history reaches before <see cref="Origin"/>. Default 365 days; between 1 day and 400 days.</summary>
    public TimeSpan HistoryDepth { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Whether the market trades around the clock; <see langword="false"/> (default) follows
    /// <see cref="CmeTradingHours"/>: no trades from Friday 21:00 to Sunday 22:00 UTC nor from 21:00 to 22:00 UTC daily.
    /// </summary>
    public bool AlwaysOpen { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of its documented range.</exception>
    /// <exception cref="ArgumentException">A list is empty or null, or a symbol has no contract.</exception>
    public void Validate()
    {
        if (!(Speed >= 0.001 && Speed <= 1_000_000))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Speed), Speed, "Speed must be between 0.001 and 1,000,000 (1 = real time).");
        }

        if (TickInterval < TimeSpan.FromMilliseconds(1) || TickInterval > TimeSpan.FromHours(1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(TickInterval), TickInterval, "TickInterval must be between 1 ms and 1 hour.");
        }

        if (!(Volatility >= 0 && Volatility <= 0.002))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Volatility), Volatility, "Volatility must be between 0 and 0.002 (a fraction of the reference price per minute).");
        }

        if (HistoryDepth < TimeSpan.FromDays(1) || HistoryDepth > TimeSpan.FromDays(400))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(HistoryDepth), HistoryDepth, "HistoryDepth must be between 1 and 400 days.");
        }

        if (Symbols is null || Symbols.Count == 0)
        {
            ThrowHelper.ThrowArgument(nameof(Symbols), "Symbols must list at least one symbol.");
        }

        if (LiveTimeframes is null)
        {
            ThrowHelper.ThrowArgument(nameof(LiveTimeframes), "LiveTimeframes must not be null (use an empty list to stream ticks only).");
        }

        if (Contracts is null || Rules is null)
        {
            ThrowHelper.ThrowArgument(Contracts is null ? nameof(Contracts) : nameof(Rules), "Contracts and Rules must not be null.");
        }

        foreach (var symbol in Symbols)
        {
            if (symbol.IsEmpty || !Contracts.TryGetValue(symbol, out var spec) || !(spec.TickSize > 0) || !(spec.ReferencePrice > spec.TickSize * 10))
            {
                ThrowHelper.ThrowArgument(nameof(Contracts), string.Create(CultureInfo.InvariantCulture, $"Symbol '{symbol}' needs a contract with a positive tick size and a reference price of at least 10 ticks in Contracts."));
            }
        }
    }
}
