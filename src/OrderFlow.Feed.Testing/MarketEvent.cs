using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.Feed.Testing;

/// <summary>
/// One live event of a <see cref="IFeedDataSource"/>: a trade or a live candle update for one symbol, which the
/// <see cref="FeedServer"/> sends to every client as a <c>tick</c> or <c>candle</c> message.
/// </summary>
/// <remarks>
/// Create it with <see cref="ForTick"/> or <see cref="ForCandle"/>. The default value has
/// <see cref="Kind"/> <see cref="MarketEventKind.None"/> and is never sent. Immutable and thread-safe.
/// </remarks>
public readonly record struct MarketEvent
{
    private MarketEvent(MarketEventKind kind, Symbol symbol, Timeframe timeframe, Candle candle, Tick tick)
    {
        Kind = kind;
        Symbol = symbol;
        Timeframe = timeframe;
        Candle = candle;
        Tick = tick;
    }

    /// <summary>What the event carries.</summary>
    public MarketEventKind Kind { get; }

    /// <summary>The symbol.</summary>
    public Symbol Symbol { get; }

    /// <summary>The timeframe of a <see cref="MarketEventKind.Candle"/> event.</summary>
    public Timeframe Timeframe { get; }

    /// <summary>The candle of a <see cref="MarketEventKind.Candle"/> event (open time in Unix seconds).</summary>
    public Candle Candle { get; }

    /// <summary>The trade of a <see cref="MarketEventKind.Tick"/> event (event time in Unix milliseconds).</summary>
    public Tick Tick { get; }

    /// <summary>The event time in Unix milliseconds: the tick's event time, or the candle's open time.</summary>
    public long TimeMs => Kind == MarketEventKind.Tick ? Tick.EventTimeMs : Candle.OpenTime * 1000;

    /// <summary>Creates a trade event.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="tick">The trade; its <see cref="Tick.EventTimeMs"/> goes on the wire as <c>time</c>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is the empty default.</exception>
    public static MarketEvent ForTick(Symbol symbol, Tick tick)
    {
        CheckSymbol(symbol);
        return new MarketEvent(MarketEventKind.Tick, symbol, default, default, tick);
    }

    /// <summary>Creates a live candle event.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The candle's timeframe.</param>
    /// <param name="candle">The candle as it stands.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is the empty default, or <paramref name="candle"/> is the invalid default.</exception>
    public static MarketEvent ForCandle(Symbol symbol, Timeframe timeframe, Candle candle)
    {
        CheckSymbol(symbol);
        if (candle.IsDefault)
        {
            Internal.ThrowHelper.ThrowArgument(nameof(candle), "The candle is the invalid default value; create it with Candle.Create.");
        }

        return new MarketEvent(MarketEventKind.Candle, symbol, timeframe, candle, default);
    }

    /// <summary>Formats the event for logs and test output.</summary>
    /// <returns>For example <c>tick GC 2031.1 x2 @1704067201250</c> or <c>candle GC 1m 2024-01-01T00:00:00Z O=… </c>.</returns>
    public override string ToString() => Kind switch
    {
        MarketEventKind.Tick => string.Create(CultureInfo.InvariantCulture, $"tick {Symbol} {Tick.Price} x{Tick.Size} @{Tick.EventTimeMs}"),
        MarketEventKind.Candle => string.Create(CultureInfo.InvariantCulture, $"candle {Symbol} {Timeframe} {Candle}"),
        _ => "(no event)",
    };

    internal static MarketEvent TrustedTick(Symbol symbol, in Tick tick) => new(MarketEventKind.Tick, symbol, default, default, tick);

    internal static MarketEvent TrustedCandle(Symbol symbol, Timeframe timeframe, in Candle candle) => new(MarketEventKind.Candle, symbol, timeframe, candle, default);

    private static void CheckSymbol(Symbol symbol)
    {
        if (symbol.IsEmpty)
        {
            Internal.ThrowHelper.ThrowArgument(nameof(symbol), "The symbol is the empty default value; use Symbol.Parse or a well-known symbol such as Symbol.GC.");
        }
    }
}
