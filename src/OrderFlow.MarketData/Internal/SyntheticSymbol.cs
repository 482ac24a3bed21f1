using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Flow;

using OrderFlow.MarketData.Simulation;

namespace OrderFlow.MarketData.Internal;

/// <summary>
/// One symbol of the synthetic market: a mean-reverting random walk in whole ticks, generated backwards from the
/// origin for history (lazily, in chunks) and forwards from it for live trades.
/// </summary>
/// <remarks>
/// Prices live in tick units (a <see cref="double"/> walk, rounded to whole ticks for every price), so every price
/// is on the contract's grid. Backward and forward walks draw from independent generators, so neither depends on
/// how much of the other was generated. Order flow draws from two more generators of its own, so the prices are the
/// same as without it: a live trade's aggressor side follows its tick direction (an uptick is a buy
/// <see cref="TradeAggressorOdds"/> of the time, a downtick a sell, an unchanged price keeps the previous side as
/// often, and <see cref="UnknownSideOdds"/> of the trades have no side); a history minute splits its volume
/// likewise by its move from open to close (a rising minute mostly bought, a falling one mostly sold, a few percent
/// unknown). Not thread-safe: the market locks.
/// </remarks>
internal sealed class SyntheticSymbol
{
    private const int SubSteps = 6;
    private const int SeedCandles = 500;
    private const double MeanReversionHalfLifeMinutes = 20 * 24 * 60;

    /// <summary>The share of live trades without an aggressor side.</summary>
    internal const double UnknownSideOdds = 0.05;

    /// <summary>The share of the other live trades whose side follows the tick direction (or repeats, on a zero tick).</summary>
    internal const double TradeAggressorOdds = 0.8;

    private readonly double _tickSize;
    private readonly double _ticksPerPoint;
    private readonly bool _onGrid;
    private readonly double _mean;
    private readonly double _floor;
    private readonly double _reversionPerSubStep;
    private readonly double _reversionPerTick;
    private readonly double _sigmaSubStep;
    private readonly double _sigmaTick;
    private readonly long _maxStepTicks;
    private readonly double _meanIntervalMs;
    private readonly double _volumePerMinute;
    private readonly double _sigmaMinute;
    private readonly bool _alwaysOpen;
    private readonly long _oldestMinute;

    private Candle[] _history = new Candle[4096];
    private int _historyCount;
    private long _backMinute;
    private double _backX;
    private Xoshiro256 _backRng;
    private Xoshiro256 _backFlowRng;

    private Xoshiro256 _liveRng;
    private Xoshiro256 _liveFlowRng;
    private AggressorSide _lastSide = AggressorSide.Buy;
    private double _x;
    private long _lastTicks;

    public SyntheticSymbol(Symbol symbol, SyntheticMarketOptions options, long originMs)
    {
        Symbol = symbol;
        var spec = options.Contracts[symbol];
        _tickSize = spec.TickSize;
        var perPoint = 1 / spec.TickSize;
        _ticksPerPoint = Math.Round(perPoint);
        _onGrid = Math.Abs(perPoint - _ticksPerPoint) < 1e-9 * perPoint;
        _mean = spec.ReferencePrice / spec.TickSize;
        _floor = _mean * 0.2;
        _alwaysOpen = options.AlwaysOpen;
        _meanIntervalMs = options.TickInterval.TotalMilliseconds;

        var ticksPerMinute = 60_000 / _meanIntervalMs;
        var sigmaMinute = options.Volatility * _mean;
        var kappa = Math.Log(2) / MeanReversionHalfLifeMinutes;
        _reversionPerSubStep = kappa / SubSteps;
        _reversionPerTick = kappa / ticksPerMinute;
        _sigmaSubStep = sigmaMinute / Math.Sqrt(SubSteps);
        _sigmaTick = sigmaMinute / Math.Sqrt(ticksPerMinute);
        _sigmaMinute = Math.Max(1, sigmaMinute);
        _volumePerMinute = Math.Max(1, ticksPerMinute * 3);

        var spike = options.Rules.Get(symbol, Timeframe.OneMinute).MaxPriceMove;
        _maxStepTicks = double.IsFinite(spike) ? Math.Max(1, (long)Math.Floor(spike * 0.25 / _tickSize)) : 1_000_000;

        var anchorRng = new Xoshiro256(Xoshiro256.Derive(options.Seed, symbol.Value, 1));
        _x = _mean * (1 + (0.02 * Math.Clamp(anchorRng.NextNormal(), -3, 3)));
        _backX = _x;
        _lastTicks = Round(_x);
        _backRng = new Xoshiro256(Xoshiro256.Derive(options.Seed, symbol.Value, 2));
        _liveRng = new Xoshiro256(Xoshiro256.Derive(options.Seed, symbol.Value, 3));
        _backFlowRng = new Xoshiro256(Xoshiro256.Derive(options.Seed, symbol.Value, 4));
        _liveFlowRng = new Xoshiro256(Xoshiro256.Derive(options.Seed, symbol.Value, 5));

        var originSeconds = Math.DivRem(originMs, 1000, out var rem) - (rem < 0 ? 1 : 0);
        _backMinute = Timeframe.OneMinute.Floor(originSeconds) - 60;
        _oldestMinute = Timeframe.OneMinute.Floor(originSeconds - (long)options.HistoryDepth.TotalSeconds);

        NextTickMs = originMs + NextInterval();
        if (!_alwaysOpen)
        {
            NextTickMs = CmeTradingHours.NextOpenMilliseconds(NextTickMs);
        }

        EnsureCount(SeedCandles);
        Recorder = new LiveCandleRecorder(symbol, options.LiveTimeframes, tf => options.Rules.Get(symbol, tf), SeedFor);
    }

    public Symbol Symbol { get; }

    /// <summary>The market time of the next trade, in Unix milliseconds.</summary>
    public long NextTickMs { get; private set; }

    public LiveCandleRecorder Recorder { get; }

    /// <summary>Generates the next trade (or skips a closed stretch) and applies it.</summary>
    public void Step(List<MarketDataEvent>? sink)
    {
        var time = NextTickMs;
        if (!_alwaysOpen && !CmeTradingHours.IsOpen(FloorSeconds(time)))
        {
            NextTickMs = CmeTradingHours.NextOpenMilliseconds(time) + (long)(_liveRng.NextDouble() * _meanIntervalMs);
            return;
        }

        _x = Revert(_x, _reversionPerTick) + (_sigmaTick * _liveRng.NextNormal());
        var ticks = Round(_x);
        if (Math.Abs(ticks - _lastTicks) > _maxStepTicks)
        {
            ticks = _lastTicks + (Math.Sign(ticks - _lastTicks) * _maxStepTicks);
            _x = ticks;
        }

        var u = _liveRng.NextDouble();
        var size = 1 + (long)(u * u * u * 8);
        var side = NextSide(ticks - _lastTicks);
        if (Recorder.ApplyTick(new Tick(time, Price(ticks), size) { Side = side }, sink))
        {
            _lastTicks = ticks;
            _lastSide = side == AggressorSide.Unknown ? _lastSide : side;
        }
        else
        {
            _x = _lastTicks;
        }

        NextTickMs = time + NextInterval();
    }

    /// <summary>The last <paramref name="count"/> 1-minute candles before the origin, ascending (fewer when the history runs out).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while history was generated (what was generated is kept).</exception>
    public Candle[] NewestBeforeOrigin(int count, CancellationToken cancellationToken = default)
    {
        EnsureCount(count, cancellationToken);
        var n = Math.Min(count, _historyCount);
        var result = new Candle[n];
        for (var i = 0; i < n; i++)
        {
            result[n - 1 - i] = _history[i];
        }

        return result;
    }

    /// <summary>Appends the 1-minute candles before the origin that open at or after <paramref name="fromSeconds"/>, ascending.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while history was generated (what was generated is kept).</exception>
    public void AppendSince(long fromSeconds, List<Candle> destination, CancellationToken cancellationToken = default)
    {
        EnsureBackTo(fromSeconds, cancellationToken);

        // _history is newest first: find how many open at or after fromSeconds.
        int lo = 0, hi = _historyCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_history[mid].OpenTime >= fromSeconds)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        destination.EnsureCapacity(destination.Count + lo);
        for (var i = lo - 1; i >= 0; i--)
        {
            destination.Add(_history[i]);
        }
    }

    /// <summary>Whether history could reach further back than <paramref name="seconds"/>.</summary>
    public bool CanReachBefore(long seconds) => seconds > _oldestMinute;

    private Candle[] SeedFor(Timeframe timeframe)
    {
        if (timeframe == Timeframe.OneMinute)
        {
            return NewestBeforeOrigin(SeedCandles);
        }

        if (_historyCount == 0)
        {
            return [];
        }

        // The bucket holding the newest candle and the one before it, complete, so that a live candle of this
        // timeframe carries on exactly what history says about its bucket.
        var from = timeframe.Floor(_history[0].OpenTime) - timeframe.Seconds;
        var minutes = new List<Candle>();
        AppendSince(from, minutes);
        return CandleAggregation.Aggregate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(minutes), Timeframe.OneMinute, timeframe);
    }

    // Generation goes a day (or a week) at a time, checking for cancellation in between: each step leaves the
    // history whole, so a cancelled request only means the next one has less to generate.
    private void EnsureCount(int count, CancellationToken cancellationToken = default)
    {
        while (_historyCount < count && _backMinute >= _oldestMinute)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GenerateOlder(Math.Min(Math.Max(count - _historyCount, 1440), 1440 * 7));
        }
    }

    private void EnsureBackTo(long seconds, CancellationToken cancellationToken = default)
    {
        while (_backMinute >= seconds && _backMinute >= _oldestMinute)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GenerateOlder(1440 * 7);
        }
    }

    private void GenerateOlder(int minutes)
    {
        for (var n = 0; n < minutes && _backMinute >= _oldestMinute; n++)
        {
            var minute = _backMinute;
            _backMinute -= 60;
            if (!_alwaysOpen && !CmeTradingHours.IsOpen(minute))
            {
                continue;
            }

            // Walk backwards from this minute's close to its open: the OU walk is time-reversible, and the previous
            // minute then closes exactly where this one opens.
            var close = Round(_backX);
            long high = close, low = close, price = close;
            for (var k = 0; k < SubSteps; k++)
            {
                _backX = Revert(_backX, _reversionPerSubStep) + (_sigmaSubStep * _backRng.NextNormal());
                price = Round(_backX);
                high = Math.Max(high, price);
                low = Math.Min(low, price);
            }

            var volume = Math.Max(1, Math.Round(_volumePerMinute * (0.5 + _backRng.NextDouble())));
            if (_historyCount == _history.Length)
            {
                Array.Resize(ref _history, _history.Length * 2);
            }

            var (buy, sell) = MinuteFlow(close - price, volume);
            _history[_historyCount++] = Candle.Create(minute, Price(price), Price(high), Price(low), Price(close), volume, buy, sell);
        }
    }

    /// <summary>The aggressor side of a live trade that moves the price by <paramref name="move"/> ticks (one draw).</summary>
    private AggressorSide NextSide(long move)
    {
        var u = _liveFlowRng.NextDouble();
        if (u < UnknownSideOdds)
        {
            return AggressorSide.Unknown;
        }

        var likely = move > 0 ? AggressorSide.Buy : move < 0 ? AggressorSide.Sell : _lastSide;
        var other = likely == AggressorSide.Buy ? AggressorSide.Sell : AggressorSide.Buy;
        return (u - UnknownSideOdds) / (1 - UnknownSideOdds) < TradeAggressorOdds ? likely : other;
    }

    /// <summary>
    /// Whole-contract buy and sell volumes of a history minute that moved <paramref name="move"/> ticks from open to
    /// close (two draws): 2–8 % unknown, the rest bought in proportion to how far the minute rose (half, when flat).
    /// </summary>
    private (double Buy, double Sell) MinuteFlow(long move, double volume)
    {
        var unknown = Math.Round(volume * (0.02 + (0.06 * _backFlowRng.NextDouble())));
        var sided = volume - unknown;
        var buyShare = Math.Clamp(0.5 + (0.3 * Math.Tanh(move / _sigmaMinute)) + (0.1 * (_backFlowRng.NextDouble() - 0.5)), 0.05, 0.95);
        var buy = Math.Round(sided * buyShare);
        return (buy, sided - buy);
    }

    private double Revert(double x, double rate)
    {
        x += (_mean - x) * rate;
        return x < _floor ? (2 * _floor) - x : x;
    }

    private long NextInterval() => Math.Max(1, (long)(_meanIntervalMs * (0.2 + (1.6 * _liveRng.NextDouble()))));

    private static long Round(double x) => (long)Math.Round(x);

    private double Price(long ticks) => _onGrid ? ticks / _ticksPerPoint : ticks * _tickSize;

    private static long FloorSeconds(long ms) => Math.DivRem(ms, 1000, out var rem) - (rem < 0 ? 1 : 0);
}
