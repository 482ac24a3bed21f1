using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.MarketData;

/// <summary>
/// One event from a market-data source: a live candle, a tick, a history answer, a connection state change, a server
/// error, or a live gap. Which properties hold values depends on <see cref="Kind"/> (see <see cref="MarketDataEventKind"/>).
/// </summary>
/// <remarks>
/// The one event type of every source (<see cref="IMarketDataSource"/>): the WebSocket feed client, Databento, the
/// synthetic market and the replays produce it, the sync engine and the feed server consume it. A small immutable
/// value: candle and tick events are delivered without allocating. The default value has <see cref="Kind"/>
/// <see cref="MarketDataEventKind.None"/> and means "no event". Equality compares every property (a history answer's
/// array by reference). Thread-safe.
/// </remarks>
public readonly record struct MarketDataEvent
{
    private MarketDataEvent(MarketDataEventKind kind, Symbol symbol, Timeframe timeframe, Candle candle, Tick tick, Candle[]? history, int rejected, bool isBackfill, SourceConnectionState state, int attempt, string? message)
    {
        Kind = kind;
        Symbol = symbol;
        Timeframe = timeframe;
        Candle = candle;
        Tick = tick;
        History = history;
        RejectedCandles = rejected;
        IsBackfill = isBackfill;
        State = state;
        Attempt = attempt;
        Message = message;
    }

    /// <summary>What the event carries.</summary>
    public MarketDataEventKind Kind { get; }

    /// <summary>The symbol (candle, tick and history events; live gaps of one series).</summary>
    public Symbol Symbol { get; }

    /// <summary>The timeframe (candle and history events; live gaps of one series).</summary>
    public Timeframe Timeframe { get; }

    /// <summary>The live candle (candle events), time in Unix seconds.</summary>
    public Candle Candle { get; }

    /// <summary>The trade (tick events), times in Unix milliseconds.</summary>
    public Tick Tick { get; }

    /// <summary>The valid candles of a history answer, in the order the server sent them.</summary>
    public Candle[]? History { get; }

    /// <summary>How many candles of a history answer were invalid and left out.</summary>
    public int RejectedCandles { get; }

    /// <summary>Whether a history answer is the backfill requested after a reconnect.</summary>
    public bool IsBackfill { get; }

    /// <summary>The connection state (connection events).</summary>
    public SourceConnectionState State { get; }

    /// <summary>The reconnect attempt number, from 1 (reconnecting events).</summary>
    public int Attempt { get; }

    /// <summary>The reason (disconnected events), the server's text (server errors), or a description (gaps).</summary>
    public string? Message { get; }

    /// <summary>Creates a live candle event.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="candle">The candle.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForCandle(Symbol symbol, Timeframe timeframe, in Candle candle) =>
        new(MarketDataEventKind.Candle, symbol, timeframe, candle, default, null, 0, false, default, 0, null);

    /// <summary>Creates a tick event.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="tick">The trade.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForTick(Symbol symbol, in Tick tick) =>
        new(MarketDataEventKind.Tick, symbol, default, default, tick, null, 0, false, default, 0, null);

    /// <summary>Creates a history event.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="history">The valid candles.</param>
    /// <param name="rejected">How many candles were invalid.</param>
    /// <param name="isBackfill">Whether this answers a post-reconnect backfill request.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForHistory(Symbol symbol, Timeframe timeframe, Candle[] history, int rejected, bool isBackfill) =>
        new(MarketDataEventKind.History, symbol, timeframe, default, default, history ?? throw new ArgumentNullException(nameof(history)), rejected, isBackfill, default, 0, null);

    /// <summary>Creates a connection state event.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="reason">Why (for disconnections), or a description.</param>
    /// <param name="attempt">The reconnect attempt number (for reconnecting).</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForConnection(SourceConnectionState state, string? reason = null, int attempt = 0) =>
        new(MarketDataEventKind.Connection, default, default, default, default, null, 0, false, state, attempt, reason);

    /// <summary>Creates a server error event.</summary>
    /// <param name="message">The server's text.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForServerError(string message) =>
        new(MarketDataEventKind.ServerError, default, default, default, default, null, 0, false, default, 0, message);

    /// <summary>Creates a live gap event that concerns no series in particular (such as dropped ticks).</summary>
    /// <param name="description">What was dropped.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForLiveGap(string description) =>
        new(MarketDataEventKind.LiveGap, default, default, default, default, null, 0, false, default, 0, description);

    /// <summary>Creates a live gap event for one series (such as an outage its backfill could not cover).</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="description">What is missing: the range, in words and times.</param>
    /// <returns>The event.</returns>
    public static MarketDataEvent ForLiveGap(Symbol symbol, Timeframe timeframe, string description) =>
        new(MarketDataEventKind.LiveGap, symbol, timeframe, default, default, null, 0, false, default, 0, description);

    /// <summary>The series the event concerns (candle and history events; live gaps of one series).</summary>
    public SeriesKey Series => new(Symbol, Timeframe);

    /// <summary>Describes the event for logs and test output.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        MarketDataEventKind.Candle => $"candle {Symbol} {Timeframe} {Candle}",
        MarketDataEventKind.Tick => $"tick {Symbol} {Tick}",
        MarketDataEventKind.History => string.Create(CultureInfo.InvariantCulture, $"history {Symbol} {Timeframe} {History?.Length} candles{(IsBackfill ? " (backfill)" : string.Empty)}"),
        MarketDataEventKind.Connection => string.Create(CultureInfo.InvariantCulture, $"{State}{(Attempt > 0 ? $" #{Attempt}" : string.Empty)}{(Message is null ? string.Empty : $": {Message}")}"),
        MarketDataEventKind.ServerError => $"server error: {Message}",
        MarketDataEventKind.LiveGap => Symbol.IsEmpty ? $"live gap: {Message}" : $"live gap {Symbol} {Timeframe}: {Message}",
        _ => "(none)",
    };
}
