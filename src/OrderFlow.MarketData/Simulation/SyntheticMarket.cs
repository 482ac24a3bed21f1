using System.Globalization;
using System.Runtime.InteropServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.MarketData.Internal;

namespace OrderFlow.MarketData.Simulation;

/// <summary>
/// A deterministic synthetic futures market: a seeded random walk per symbol at realistic price levels and tick
/// sizes, trading CME-like hours, with a year of 1-minute history before its origin and live trades and candle
/// updates after it, driven by a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Time.</b> Market time starts at <see cref="SyntheticMarketOptions.Origin"/> (by default the clock's time at
/// creation) and runs <see cref="SyntheticMarketOptions.Speed"/> times as fast as the clock. With a
/// <c>FakeTimeProvider</c> nothing happens until the test advances it; then every trade due is generated at once.
/// </para>
/// <para>
/// <b>History</b> is a 1-minute series generated backwards from the origin, lazily and only as deep as requests
/// need (up to <see cref="SyntheticMarketOptions.HistoryDepth"/>), followed by the 1-minute candles the market has
/// built from its own trades since the origin (through <c>LiveCandleSeries</c>), the one in progress last. Coarser
/// timeframes are aggregated from it with <c>CandleAggregation.Aggregate</c>. So a client that missed live minutes
/// gets exactly those minutes back from <see cref="GetHistory"/>: history always reaches the market's current time,
/// whether or not anybody streamed it.
/// </para>
/// <para>
/// <b>Order flow.</b> Every trade has a seeded aggressor <see cref="Tick.Side"/> that mostly follows its tick (an uptick
/// is usually a buy, a downtick a sell, an unchanged price repeats the previous side; about 5 % have none), so the
/// live candles carry buy and sell volume; the generated history minutes carry matching flow (a rising minute mostly
/// bought, a falling one mostly sold, 2–8 % unknown), and coarser timeframes sum it. Adding flow did not change a
/// seed's prices or volumes.
/// </para>
/// <para>
/// <b>Prices</b> are on each contract's tick grid; a trade moves at most a quarter of the symbol's 1-minute spike
/// limit in <see cref="SyntheticMarketOptions.Rules"/>, so clients applying the default rules reject nothing.
/// </para>
/// <para>
/// <b>As a source</b> (<see cref="InProcessMarketDataSource"/>): started, it feeds one consumer — the sync engine, or a
/// feed server that serves it to its clients — in process, with no socket.
/// </para>
/// <para>
/// Thread-safe: history requests may run concurrently with the live stream. <see cref="StreamAsync"/> may be
/// enumerated by one consumer at a time.
/// </para>
/// </remarks>
public sealed class SyntheticMarket : InProcessMarketDataSource
{
    private readonly Lock _lock = new();
    private readonly MarketTimeline _timeline;
    private readonly long _originMs;
    private readonly TimeSpan _historyDepth;
    private readonly SyntheticSymbol[] _symbols;
    private readonly Dictionary<Symbol, SyntheticSymbol> _bySymbol;

    /// <summary>Creates a market; nothing runs until history is requested or the stream is enumerated.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="SyntheticMarketOptions.Validate"/>).</exception>
    public SyntheticMarket(SyntheticMarketOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new SyntheticMarketOptions();
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var startedAt = time.GetUtcNow();
        _originMs = (options.Origin ?? startedAt).ToUnixTimeMilliseconds();
        _timeline = new MarketTimeline(_lock, time, startedAt, _originMs, options.Speed);
        _historyDepth = options.HistoryDepth;
        Symbols = options.Symbols.Distinct().ToArray();
        _symbols = Symbols.Select(s => new SyntheticSymbol(s, options, _originMs)).ToArray();
        _bySymbol = _symbols.ToDictionary(s => s.Symbol);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>The market time at which the market started.</summary>
    public DateTimeOffset Origin => DateTimeOffset.FromUnixTimeMilliseconds(_originMs);

    /// <summary>The market time now: <see cref="Origin"/> plus the clock's elapsed time times the speed.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(MarketNowMs());

    /// <summary>
    /// Returns the latest candles of a symbol and timeframe as of <see cref="Now"/>: generated history, then the
    /// 1-minute candles built live since <see cref="Origin"/> (aggregated for coarser timeframes).
    /// </summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="timeframe">The timeframe.</param>
    /// <param name="bars">How many candles at most.</param>
    /// <returns>Strictly ascending, aligned, valid candles; the last may be in progress. Fewer than
    /// <paramref name="bars"/> when the history depth runs out; empty for a symbol the market does not trade.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bars"/> is less than 1.</exception>
    /// <remarks>A 100,000-bar 1-minute answer takes a few milliseconds once generated (tens on first use).</remarks>
    public Candle[] GetHistory(Symbol symbol, Timeframe timeframe, int bars) => BuildHistory(symbol, timeframe, bars, CancellationToken.None);

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="cancellationToken"/> is also checked while the answer is built (a deep first request generates
    /// up to a year of minutes), so a server that stops or drops the client is not held up by it.
    /// </remarks>
    public override ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(BuildHistory(symbol, timeframe, bars, cancellationToken));
    }

    private Candle[] BuildHistory(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken)
    {
        if (bars < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(bars), bars, "bars must be at least 1.");
        }

        lock (_lock)
        {
            AdvanceTo(MarketNowMs());
            if (!_bySymbol.TryGetValue(symbol, out var state))
            {
                return [];
            }

            var live = new List<Candle>();
            state.Recorder.CopyLiveTo(live);
            if (timeframe == Timeframe.OneMinute)
            {
                var before = Math.Max(0, bars - live.Count);
                var older = before > 0 ? state.NewestBeforeOrigin(before, cancellationToken) : [];
                var take = Math.Min(bars, live.Count);
                var result = new Candle[older.Length + take];
                older.CopyTo(result, 0);
                CollectionsMarshal.AsSpan(live)[^take..].CopyTo(result.AsSpan(older.Length));
                return result;
            }

            // Enough minutes for the bars asked, allowing for weekends and halts; deeper when that was not enough.
            var originSeconds = _originMs / 1000;
            var span = Math.Min((long)bars * timeframe.Seconds * 7 / 5, (long)_historyDepth.TotalSeconds) + (3 * 86_400L);
            while (true)
            {
                var from = timeframe.Floor(originSeconds - span);
                var minutes = new List<Candle>();
                state.AppendSince(from, minutes, cancellationToken);
                minutes.AddRange(live);
                cancellationToken.ThrowIfCancellationRequested();
                var aggregated = CandleAggregation.Aggregate(CollectionsMarshal.AsSpan(minutes), Timeframe.OneMinute, timeframe);
                if (aggregated.Length >= bars || !state.CanReachBefore(from))
                {
                    return aggregated.Length <= bars ? aggregated : aggregated[^bars..];
                }

                span *= 2;
            }
        }
    }

    /// <summary>
    /// Streams the market's trades and candle updates as market time reaches them: for each trade a tick event,
    /// and for each timeframe in <see cref="SyntheticMarketOptions.LiveTimeframes"/> the candle as it stands
    /// (once per batch while it changes, and once more, final, when the next candle opens).
    /// </summary>
    /// <param name="cancellationToken">Stops the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The events, in market-time order.</returns>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    public override IAsyncEnumerable<MarketDataEvent> StreamAsync(CancellationToken cancellationToken = default) =>
        _timeline.StreamAsync(
            nowMs =>
            {
                AdvanceTo(nowMs);
                var nextDueMs = long.MaxValue;
                foreach (var state in _symbols)
                {
                    nextDueMs = Math.Min(nextDueMs, state.NextTickMs);
                }

                return nextDueMs;
            },
            "The synthetic market is already being streamed; enumerate StreamAsync from one consumer at a time.",
            cancellationToken);

    /// <summary>Describes the market for logs.</summary>
    /// <returns>For example <c>synthetic market GC SI CL ES NQ, origin 2024-01-02T14:00:00.000Z, speed 1</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"synthetic market {string.Join(' ', Symbols)}, origin {Origin:yyyy-MM-ddTHH:mm:ss.fffZ}, speed {_timeline.Speed}");

    private long MarketNowMs() => _timeline.NowMs();

    private void AdvanceTo(long marketMs)
    {
        while (true)
        {
            SyntheticSymbol? next = null;
            foreach (var state in _symbols)
            {
                if (state.NextTickMs <= marketMs && (next is null || state.NextTickMs < next.NextTickMs))
                {
                    next = state;
                }
            }

            if (next is null)
            {
                break;
            }

            next.Step(_timeline.Pending);
        }

        foreach (var state in _symbols)
        {
            state.Recorder.Flush(_timeline.Pending);
        }
    }
}
