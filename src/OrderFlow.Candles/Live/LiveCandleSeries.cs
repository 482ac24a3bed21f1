using System.Runtime.CompilerServices;
using OrderFlow.Candles.Rules;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Live;

/// <summary>
/// The live candles of one symbol and timeframe: ticks and live candle messages in, the current candle and the
/// rolling buffer of recent candles out, with the live rules (<see cref="CandleRules.Live"/>) applied.
/// </summary>
/// <remarks>
/// <para><b>Ticks</b> (<see cref="ApplyTick"/>):</para>
/// <list type="bullet">
/// <item>A tick inside the current candle's interval sets the close (unless it is older than the latest tick
/// applied), extends high and low, and adds its size to the volume (and to the buy or sell volume when the tick has an
/// aggressor <see cref="Tick.Side"/>).</item>
/// <item>A tick at or after the end of the current candle opens a new candle; its open is the previous close when
/// the time since the last accepted price is at most <see cref="CandleRules.ContinuityGap"/>, else the tick's
/// price.</item>
/// <item>A tick older than the current candle updates the held candle it belongs to (high, low and volume; never
/// its close); if that candle is no longer held, or there never was one, it is rejected as
/// <see cref="CandleRejection.Late"/>.</item>
/// <item>A non-finite or non-positive price, a negative size or one above <see cref="Candle.MaxVolume"/>, or a time out of range is rejected;
/// a price further than <see cref="CandleRules.MaxPriceMove"/> from the last accepted close is a
/// <see cref="CandleRejection.Spike"/> (with the recovery rule of <see cref="CandleRules.SpikeRecoveryCount"/>).
/// </item>
/// <item>Wicks are clamped to <see cref="CandleRules.MaxWick"/> beyond the body after every update.</item>
/// </list>
/// <para><b>Candles</b> (<see cref="ApplyCandle"/>): a live candle replaces the held candle with the same open time
/// or opens a new one, after the spike check on its close, continuity with the candle before it, and the wick
/// clamp.</para>
/// <para>
/// The series holds <see cref="CandleRules.LiveBufferSize"/> candles (500), the current one included. Every rejection
/// is returned and counted in <see cref="Rejections"/>. Hot path: a tick inside the current candle costs a few
/// comparisons and allocates nothing. Not thread-safe: one series belongs to one consumer loop.
/// </para>
/// </remarks>
public sealed class LiveCandleSeries
{
    private readonly CandleAlignment? _alignment;
    private readonly CandleRing _held;
    private readonly double _maxMove;
    private readonly double _maxWick;
    private readonly long _gapMs;
    private readonly int _recovery;
    private readonly bool _spikeOn;
    private readonly bool _clampOn;
    private readonly bool _continuityOn;

    private SpikeFilter _spike;
    private bool _hasCurrent;
    private long _openTime;
    private long _startMs;
    private long _endMs;
    private double _open;
    private double _high;
    private double _low;
    private double _close;
    private double _volume;
    private double _buy;
    private double _sell;
    private long _lastTickMs = long.MinValue;
    private long _lastPriceMs = long.MinValue;

    /// <summary>Creates an empty series.</summary>
    /// <param name="timeframe">The timeframe of the candles.</param>
    /// <param name="rules">The rules; <see cref="CandleRules.Live"/> says which optional rules apply.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public LiveCandleSeries(Timeframe timeframe, CandleRules rules, CandleAlignment? alignment = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        Timeframe = timeframe;
        Rules = rules;
        _alignment = alignment is { IsSessionAnchored: true } ? alignment : null;
        _held = new CandleRing(rules.LiveBufferSize - 1);
        _maxMove = rules.MaxPriceMove;
        _maxWick = rules.MaxWick;
        _gapMs = (long)rules.ContinuityGap.TotalMilliseconds;
        _recovery = rules.SpikeRecoveryCount;
        _spikeOn = (rules.Live & RuleSet.SpikeRejection) != 0 && !double.IsPositiveInfinity(rules.MaxPriceMove);
        _clampOn = (rules.Live & RuleSet.WickClamp) != 0 && !double.IsPositiveInfinity(rules.MaxWick);
        _continuityOn = (rules.Live & RuleSet.Continuity) != 0;
        _startMs = long.MaxValue;
        _endMs = long.MinValue;
    }

    /// <summary>The timeframe of the candles.</summary>
    public Timeframe Timeframe { get; }

    /// <summary>The rules in force.</summary>
    public CandleRules Rules { get; }

    /// <summary>Inputs rejected so far, by reason.</summary>
    public CandleRejectionCounts Rejections { get; } = new();

    /// <summary>Inputs accepted so far (ticks and candles).</summary>
    public long Accepted { get; private set; }

    /// <summary>How many times the spike reference re-anchored to a new price level (see <see cref="CandleRules.SpikeRecoveryCount"/>).</summary>
    public long SpikeReanchors { get; private set; }

    /// <summary>Whether there is a current candle.</summary>
    public bool HasCurrent => _hasCurrent;

    /// <summary>How many candles are held, the current one included (at most <see cref="CandleRules.LiveBufferSize"/>).</summary>
    public int Count => _held.Count + (_hasCurrent ? 1 : 0);

    /// <summary>The current (latest) candle.</summary>
    /// <exception cref="InvalidOperationException">There is none yet (<see cref="HasCurrent"/> is false).</exception>
    public Candle Current
    {
        get
        {
            if (!_hasCurrent)
            {
                ThrowHelper.ThrowInvalidOperation("The live series has no current candle yet.");
            }

            return Candle.FromTrusted(_openTime, _open, _high, _low, _close, _volume, _buy, _sell);
        }
    }

    /// <summary>
    /// Primes the series with the end of a stored chart, so that the first live price is checked against the last
    /// known close and continuity carries on from it. Replaces anything held; with the wick clamp on, the seeded
    /// candles are clamped too.
    /// </summary>
    /// <param name="history">Candles of this timeframe, strictly ascending; only the last <see cref="CandleRules.LiveBufferSize"/> are kept.</param>
    public void Seed(ReadOnlySpan<Candle> history)
    {
        _held.Clear();
        _hasCurrent = false;
        _startMs = long.MaxValue;
        _endMs = long.MinValue;
        if (history.IsEmpty)
        {
            return;
        }

        // The held candles obey the live rules like every other candle the series hands out.
        var keep = history[Math.Max(0, history.Length - Rules.LiveBufferSize)..];
        for (var i = 0; i < keep.Length - 1; i++)
        {
            _held.Add(_clampOn ? keep[i].WithWicksClamped(_maxWick) : keep[i]);
        }

        var last = _clampOn ? keep[^1].WithWicksClamped(_maxWick) : keep[^1];
        SetCurrent(last);
        _lastTickMs = _startMs;
        _lastPriceMs = _startMs;
        _spike.Anchor(last.Close, _startMs);
    }

    /// <summary>Applies one tick.</summary>
    /// <param name="tick">The tick; its <see cref="Tick.EventTimeMs"/> places it.</param>
    /// <returns><see cref="CandleRejection.None"/> when applied; otherwise why not. Never throws, never allocates.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CandleRejection ApplyTick(in Tick tick)
    {
        var price = tick.Price;
        var time = tick.EventTimeMs;
        if (time >= _startMs && time < _endMs && price > 0 && price <= double.MaxValue && tick.Size >= 0 && tick.Size <= Candle.MaxVolume)
        {
            if (_spikeOn && !(Math.Abs(price - _spike.Reference) <= _maxMove && _spike.PendingRun == 0 && time - _lastPriceMs <= _gapMs))
            {
                return ApplyTickSlow(tick);
            }

            // The common case: a tick inside the current candle, within the limits.
            if (time >= _lastTickMs)
            {
                _close = price;
                _lastTickMs = time;
                _lastPriceMs = time;
                if (_spikeOn)
                {
                    _spike.Anchor(price, time);
                }
            }

            if (price > _high)
            {
                _high = price;
            }
            else if (price < _low)
            {
                _low = price;
            }

            AddVolume(tick);
            if (_clampOn)
            {
                ClampCurrent();
            }

            Accepted++;
            return CandleRejection.None;
        }

        return ApplyTickSlow(tick);
    }

    /// <summary>Applies one live candle message.</summary>
    /// <param name="candle">The candle; its open time is floored to the timeframe.</param>
    /// <returns><see cref="CandleRejection.None"/> when applied; otherwise why not. Never throws.</returns>
    public CandleRejection ApplyCandle(Candle candle)
    {
        if (candle.IsDefault)
        {
            return Reject(CandleRejection.NonPositivePrice);
        }

        var bucket = GetBucket(candle.OpenTime);
        if (bucket.Start < UnixTime.MinSeconds)
        {
            return Reject(CandleRejection.TimeOutOfRange);
        }

        candle = candle.OpenTime == bucket.Start ? candle : candle.WithOpenTime(bucket.Start);
        var openMs = bucket.Start * 1000;
        var isNewOrCurrent = !_hasCurrent || bucket.Start >= _openTime;
        if (_spikeOn)
        {
            var verdict = _spike.Check(candle.Close, openMs, _maxMove, _gapMs, _recovery, moveReference: isNewOrCurrent);
            if (verdict == SpikeVerdict.Rejected)
            {
                return Reject(CandleRejection.Spike);
            }

            if (verdict == SpikeVerdict.Reanchored)
            {
                SpikeReanchors++;
            }
        }

        if (!_hasCurrent || bucket.Start > _openTime)
        {
            var hasPrevious = _hasCurrent;
            var previous = hasPrevious ? Current : default;
            if (_hasCurrent)
            {
                _held.Add(previous);
            }

            SetCurrent(Repair(candle, hasPrevious, previous));
            _lastTickMs = openMs;
            _lastPriceMs = Math.Max(_lastPriceMs, openMs);
        }
        else if (bucket.Start == _openTime)
        {
            var hasPrevious = _held.Count > 0;
            SetCurrent(Repair(candle.WithFlowFrom(Current), hasPrevious, hasPrevious ? _held[^1] : default));
            _lastPriceMs = Math.Max(_lastPriceMs, openMs);
        }
        else
        {
            var index = _held.IndexOf(bucket.Start);
            if (index < 0)
            {
                return Reject(CandleRejection.Late);
            }

            _held[index] = Repair(candle.WithFlowFrom(_held[index]), index > 0, index > 0 ? _held[index - 1] : default);
        }

        Accepted++;
        return CandleRejection.None;
    }

    /// <summary>Copies the held candles, oldest first, the current one last, into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to copy; when it is shorter than <see cref="Count"/>, the newest candles are copied.</param>
    /// <returns>How many candles were copied.</returns>
    public int CopyTo(Span<Candle> destination)
    {
        if (!_hasCurrent)
        {
            return _held.CopyTo(destination);
        }

        if (destination.IsEmpty)
        {
            return 0;
        }

        var n = _held.CopyTo(destination[..^1]);
        destination[n] = Current;
        return n + 1;
    }

    /// <summary>The held candle (or the current one) opening at <paramref name="openTime"/>.</summary>
    internal bool TryGet(long openTime, out Candle candle)
    {
        if (_hasCurrent && openTime == _openTime)
        {
            candle = Current;
            return true;
        }

        var index = _held.IndexOf(openTime);
        candle = index >= 0 ? _held[index] : default;
        return index >= 0;
    }

    /// <summary>Returns the held candles, oldest first, the current one last: the rolling live buffer.</summary>
    /// <returns>A new array of <see cref="Count"/> candles.</returns>
    public Candle[] ToArray()
    {
        var result = new Candle[Count];
        CopyTo(result);
        return result;
    }

    private CandleRejection ApplyTickSlow(in Tick tick)
    {
        var price = tick.Price;
        var time = tick.EventTimeMs;
        if (!Candle.IsValidPrice(price))
        {
            return Reject(double.IsFinite(price) ? CandleRejection.NonPositivePrice : CandleRejection.NonFinitePrice);
        }

        if (!(tick.Size >= 0 && tick.Size <= Candle.MaxVolume))
        {
            return Reject(CandleRejection.InvalidVolume);
        }

        if (time is < 0 or > UnixTime.MaxMilliseconds)
        {
            return Reject(CandleRejection.TimeOutOfRange);
        }

        var isLate = _hasCurrent && time < _startMs;
        var latest = !isLate && time >= _lastTickMs;
        if (_spikeOn)
        {
            var verdict = _spike.Check(price, time, _maxMove, _gapMs, _recovery, moveReference: latest);
            if (verdict == SpikeVerdict.Rejected)
            {
                return Reject(CandleRejection.Spike);
            }

            if (verdict == SpikeVerdict.Reanchored)
            {
                SpikeReanchors++;
            }
        }

        if (isLate)
        {
            return ApplyLateTick(price, tick, time);
        }

        if (_hasCurrent && time < _endMs)
        {
            // Inside the current candle; we are here because the spike filter had work to do.
            if (latest)
            {
                _close = price;
                _lastTickMs = time;
                _lastPriceMs = time;
            }

            _high = Math.Max(_high, price);
            _low = Math.Min(_low, price);
            AddVolume(tick);
        }
        else
        {
            var bucket = GetBucket(UnixTime.FloorDiv(time, 1000));
            if (bucket.Start < UnixTime.MinSeconds)
            {
                return Reject(CandleRejection.TimeOutOfRange);
            }

            var continuous = _hasCurrent && _continuityOn && time - _lastPriceMs <= _gapMs;
            var open = continuous ? _close : price;
            if (_hasCurrent)
            {
                _held.Add(Current);
            }

            SetCurrent(Candle.FromTrusted(bucket.Start, open, Math.Max(open, price), Math.Min(open, price), price, tick.Size, BuyPart(tick), SellPart(tick)));
            _lastTickMs = time;
            _lastPriceMs = time;
        }

        if (_clampOn)
        {
            ClampCurrent();
        }

        Accepted++;
        return CandleRejection.None;
    }

    private CandleRejection ApplyLateTick(double price, in Tick tick, long time)
    {
        var openTime = GetBucket(UnixTime.FloorDiv(time, 1000)).Start;
        var index = _held.IndexOf(openTime);
        if (index < 0)
        {
            return Reject(CandleRejection.Late);
        }

        var held = _held[index];
        var updated = Candle.FromTrusted(held.OpenTime, held.Open, Math.Max(held.High, price), Math.Min(held.Low, price), held.Close, held.Volume + tick.Size, held.BuyVolume + BuyPart(tick), held.SellVolume + SellPart(tick));
        _held[index] = _clampOn ? updated.WithWicksClamped(_maxWick) : updated;
        Accepted++;
        return CandleRejection.None;
    }

    private Candle Repair(Candle candle, bool hasPrevious, in Candle previous)
    {
        if (_continuityOn && hasPrevious
            && candle.OpenTime - (previous.OpenTime + Timeframe.Seconds) <= _gapMs / 1000
            && candle.Open != previous.Close)
        {
            candle = candle.WithOpenExtending(previous.Close);
        }

        return _clampOn ? candle.WithWicksClamped(_maxWick) : candle;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClampCurrent()
    {
        double bodyHigh, bodyLow;
        if (_open >= _close)
        {
            bodyHigh = _open;
            bodyLow = _close;
        }
        else
        {
            bodyHigh = _close;
            bodyLow = _open;
        }

        if (_high - bodyHigh > _maxWick)
        {
            _high = bodyHigh + _maxWick;
        }

        if (bodyLow - _low > _maxWick)
        {
            _low = bodyLow - _maxWick;
        }
    }

    private void SetCurrent(in Candle candle)
    {
        var bucket = GetBucket(candle.OpenTime);
        _hasCurrent = true;
        _openTime = candle.OpenTime;
        _startMs = bucket.Start * 1000;
        _endMs = bucket.End * 1000;
        _open = candle.Open;
        _high = candle.High;
        _low = candle.Low;
        _close = candle.Close;
        _volume = candle.Volume;
        _buy = candle.BuyVolume;
        _sell = candle.SellVolume;
    }

    /// <summary>Adds a tick's size to the current candle's volume, and to its buy or sell volume by the aggressor side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddVolume(in Tick tick)
    {
        _volume += tick.Size;
        _buy += BuyPart(tick);
        _sell += SellPart(tick);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BuyPart(in Tick tick) => tick.Side == Flow.AggressorSide.Buy ? tick.Size : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SellPart(in Tick tick) => tick.Side == Flow.AggressorSide.Sell ? tick.Size : 0;

    private CandleBucket GetBucket(long unixSeconds)
    {
        if (_alignment is null)
        {
            var start = Timeframe.Floor(unixSeconds);
            return new CandleBucket(start, start + Timeframe.Seconds);
        }

        return _alignment.GetBucket(unixSeconds, Timeframe);
    }

    private CandleRejection Reject(CandleRejection reason)
    {
        Rejections.Add(reason);
        return reason;
    }
}
