using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace OrderFlow.Candles;

/// <summary>
/// One OHLCV candle: open, high, low and close prices and the traded volume of the interval that opens at
/// <see cref="OpenTime"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Invariants</b> (held by every instance except <c>default</c>): every price is finite and greater than zero;
/// <see cref="High"/> ≥ max(<see cref="Open"/>, <see cref="Close"/>, <see cref="Low"/>);
/// <see cref="Low"/> ≤ min(<see cref="Open"/>, <see cref="Close"/>, <see cref="High"/>);
/// <see cref="Volume"/> is finite and not negative (an input volume is at most <see cref="MaxVolume"/>); <see cref="OpenTime"/> is in
/// [<see cref="UnixTime.MinSeconds"/>, <see cref="UnixTime.MaxSeconds"/>]; <see cref="BuyVolume"/> and
/// <see cref="SellVolume"/> are not negative and <c>BuyVolume + SellVolume ≤ Volume</c>, so
/// <c>BuyVolume + SellVolume + UnknownVolume = Volume</c>.
/// </para>
/// <para>
/// <b>Order flow</b>: a candle built from trades that carry their aggressor side (Databento trades, or feed ticks
/// with a <c>side</c>) splits its volume into <see cref="BuyVolume"/>, <see cref="SellVolume"/> and the rest,
/// <see cref="UnknownVolume"/>. A candle from a source without sides (an OHLCV feed, an old cache entry) has all its
/// volume unknown: <see cref="HasFlow"/> is false. Aggregation sums the three, so the <see cref="Delta"/> of an
/// aggregate is the sum of the deltas.
/// </para>
/// <para>
/// <b>Prices</b> are <see cref="double"/> in the instrument's quoted units (points: 2030.5 for gold at
/// $2,030.50/oz), throughout OrderFlow. A decimal such as 2030.5 from JSON is held as the nearest double and
/// formats back to the same shortest text, so JSON round-trips exactly. Prices are compared and copied, never
/// summed, so no rounding accumulates; only the wick clamp adds a limit to a price.
/// </para>
/// <para>
/// <b>Time</b>: <see cref="OpenTime"/> is in Unix seconds, UTC. A candle does not know its timeframe; the code
/// that builds it (normaliser, builder, aggregator) floors the time to the timeframe.
/// </para>
/// <para>
/// The default value is not a valid candle: all fields are zero (<see cref="IsDefault"/>). Instances are immutable
/// and thread-safe; the struct has no public constructor and <c>with</c> cannot bypass the checks.
/// </para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly record struct Candle
{
    private Candle(long openTime, double open, double high, double low, double close, double volume, double buyVolume = 0, double sellVolume = 0)
    {
        OpenTime = openTime;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        BuyVolume = buyVolume;
        SellVolume = sellVolume;
    }

    /// <summary>
    /// The largest volume (or tick size) accepted from outside: 1e15. Far above any real contract count, it keeps
    /// every sum of volumes finite and every integer volume exact in a <see cref="double"/>.
    /// </summary>
    public const double MaxVolume = 1e15;

    /// <summary>The open time in Unix seconds, UTC: the start of the interval <c>[OpenTime, OpenTime + timeframe)</c>.</summary>
    public long OpenTime { get; }

    /// <summary>The first price of the interval.</summary>
    public double Open { get; }

    /// <summary>The highest price of the interval; at least <see cref="Open"/>, <see cref="Close"/> and <see cref="Low"/>.</summary>
    public double High { get; }

    /// <summary>The lowest price of the interval; at most <see cref="Open"/>, <see cref="Close"/> and <see cref="High"/>.</summary>
    public double Low { get; }

    /// <summary>The last price of the interval.</summary>
    public double Close { get; }

    /// <summary>The traded volume of the interval (contracts); finite and not negative.</summary>
    public double Volume { get; }

    /// <summary>The part of <see cref="Volume"/> traded by aggressive buyers (lifting the offer); 0 when not known.</summary>
    public double BuyVolume { get; }

    /// <summary>The part of <see cref="Volume"/> traded by aggressive sellers (hitting the bid); 0 when not known.</summary>
    public double SellVolume { get; }

    /// <summary>The part of <see cref="Volume"/> whose aggressor side is not known: <c>Volume − BuyVolume − SellVolume</c>.</summary>
    public double UnknownVolume => Volume - BuyVolume - SellVolume;

    /// <summary>Buy volume minus sell volume: the candle's order-flow delta (0 when the sides are not known).</summary>
    public double Delta => BuyVolume - SellVolume;

    /// <summary>Whether any of the volume has a known aggressor side (the candle was built from sided trades).</summary>
    public bool HasFlow => BuyVolume + SellVolume > 0;

    /// <summary>The open time as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset OpenTimeUtc => DateTimeOffset.FromUnixTimeSeconds(OpenTime);

    /// <summary>Whether this is <c>default(Candle)</c>, which holds no data and breaks the invariants.</summary>
    public bool IsDefault => Open == 0 && Close == 0 && High == 0 && Low == 0;

    /// <summary>
    /// Creates a candle from trusted values, making OHLC consistent: the high is raised to the highest of the four
    /// prices and the low lowered to the lowest.
    /// </summary>
    /// <param name="openTime">The open time in Unix seconds, or Unix milliseconds when at least 1e11 (see <see cref="UnixTime"/>).</param>
    /// <param name="open">The first price.</param>
    /// <param name="high">The highest price.</param>
    /// <param name="low">The lowest price.</param>
    /// <param name="close">The last price.</param>
    /// <param name="volume">The traded volume.</param>
    /// <returns>The candle.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A price is NaN, infinite, zero or negative; the volume is negative, NaN or above <see cref="MaxVolume"/>; or the time is out of range.
    /// The message names the parameter, the value and the allowed range.
    /// </exception>
    /// <remarks>Use <see cref="TryCreate(long, double, double, double, double, double, out Candle)"/> for market data: it reports a <see cref="CandleRejection"/> instead of throwing.</remarks>
    public static Candle Create(long openTime, double open, double high, double low, double close, double volume)
    {
        var rejection = TryCreate(openTime, open, high, low, close, volume, out var candle);
        if (rejection != CandleRejection.None)
        {
            ThrowInvalid(rejection, openTime, open, high, low, close, volume);
        }

        return candle;
    }

    /// <summary>
    /// Creates a candle from untrusted values (a feed frame, a cache entry), making OHLC consistent, or reports why
    /// it cannot.
    /// </summary>
    /// <param name="openTime">The open time in Unix seconds, or Unix milliseconds when at least 1e11 (see <see cref="UnixTime"/>).</param>
    /// <param name="open">The first price.</param>
    /// <param name="high">The highest price.</param>
    /// <param name="low">The lowest price.</param>
    /// <param name="close">The last price.</param>
    /// <param name="volume">The traded volume.</param>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns>
    /// <see cref="CandleRejection.None"/> on success; otherwise <see cref="CandleRejection.NonFinitePrice"/>,
    /// <see cref="CandleRejection.NonPositivePrice"/>, <see cref="CandleRejection.InvalidVolume"/> or
    /// <see cref="CandleRejection.TimeOutOfRange"/>. Never throws.
    /// </returns>
    /// <remarks>
    /// OHLC inconsistency is repaired, not rejected (the seed's rule): high becomes max(open, high, low, close) and
    /// low becomes min(open, high, low, close).
    /// </remarks>
    public static CandleRejection TryCreate(long openTime, double open, double high, double low, double close, double volume, out Candle candle) =>
        TryCreateCore(openTime, open, high, low, close, volume, 0, 0, out candle);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CandleRejection TryCreateCore(long openTime, double open, double high, double low, double close, double volume, double buyVolume, double sellVolume, out Candle candle)
    {
        var rejection = CheckPrices(open, high, low, close);
        if (rejection == CandleRejection.None && !(volume >= 0 && volume <= MaxVolume && buyVolume >= 0 && sellVolume >= 0 && buyVolume + sellVolume <= volume))
        {
            rejection = CandleRejection.InvalidVolume;
        }

        long seconds = 0;
        if (rejection == CandleRejection.None && !UnixTime.TryToSeconds(openTime, out seconds))
        {
            rejection = CandleRejection.TimeOutOfRange;
        }

        if (rejection != CandleRejection.None)
        {
            candle = default;
            return rejection;
        }

        // The values are known finite here, so the branch-free native min/max give Math.Max's results.
        var hi = double.MaxNative(double.MaxNative(open, close), double.MaxNative(high, low));
        var lo = double.MinNative(double.MinNative(open, close), double.MinNative(high, low));
        candle = new Candle(seconds, open, hi, lo, close, volume, buyVolume, sellVolume);
        return CandleRejection.None;
    }

    /// <summary>
    /// Creates a candle with order flow from untrusted values, making OHLC consistent, or reports why it cannot.
    /// </summary>
    /// <param name="openTime">The open time in Unix seconds, or Unix milliseconds when at least 1e11 (see <see cref="UnixTime"/>).</param>
    /// <param name="open">The first price.</param>
    /// <param name="high">The highest price.</param>
    /// <param name="low">The lowest price.</param>
    /// <param name="close">The last price.</param>
    /// <param name="volume">The traded volume.</param>
    /// <param name="buyVolume">The volume traded by aggressive buyers.</param>
    /// <param name="sellVolume">The volume traded by aggressive sellers.</param>
    /// <param name="candle">The candle, or <c>default</c> when rejected.</param>
    /// <returns>
    /// As <see cref="TryCreate(long, double, double, double, double, double, out Candle)"/>, and
    /// <see cref="CandleRejection.InvalidVolume"/> when a side's volume is negative or not finite, or the two exceed
    /// <paramref name="volume"/>. Never throws.
    /// </returns>
    public static CandleRejection TryCreate(long openTime, double open, double high, double low, double close, double volume, double buyVolume, double sellVolume, out Candle candle) =>
        TryCreateCore(openTime, open, high, low, close, volume, buyVolume, sellVolume, out candle);

    /// <summary>Creates a candle with order flow from trusted values, making OHLC consistent.</summary>
    /// <param name="openTime">The open time in Unix seconds, or Unix milliseconds when at least 1e11 (see <see cref="UnixTime"/>).</param>
    /// <param name="open">The first price.</param>
    /// <param name="high">The highest price.</param>
    /// <param name="low">The lowest price.</param>
    /// <param name="close">The last price.</param>
    /// <param name="volume">The traded volume.</param>
    /// <param name="buyVolume">The volume traded by aggressive buyers.</param>
    /// <param name="sellVolume">The volume traded by aggressive sellers.</param>
    /// <returns>The candle.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (see <see cref="TryCreate(long, double, double, double, double, double, double, double, out Candle)"/>); the message names it.</exception>
    public static Candle Create(long openTime, double open, double high, double low, double close, double volume, double buyVolume, double sellVolume)
    {
        var candle = Create(openTime, open, high, low, close, volume);
        if (!(buyVolume >= 0 && sellVolume >= 0 && buyVolume + sellVolume <= volume))
        {
            ThrowHelper.ThrowArgumentOutOfRange(!(buyVolume >= 0) ? nameof(buyVolume) : nameof(sellVolume), !(buyVolume >= 0) ? buyVolume : sellVolume, $"The buy and sell volumes must not be negative, and together must not exceed the volume ({volume}).");
        }

        return new Candle(candle.OpenTime, candle.Open, candle.High, candle.Low, candle.Close, volume, buyVolume, sellVolume);
    }

    /// <summary>Creates a candle from values the caller has already checked; the invariants are asserted in debug builds only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Candle FromTrusted(long openTime, double open, double high, double low, double close, double volume)
    {
        Debug.Assert(open > 0 && close > 0 && low > 0 && high < double.PositiveInfinity, "prices must be finite and positive");
        Debug.Assert(high >= Math.Max(open, close) && low <= Math.Min(open, close) && high >= low, "OHLC must be consistent");
        Debug.Assert(volume >= 0 && volume <= double.MaxValue, "volume must be finite and not negative");
        Debug.Assert(openTime is >= UnixTime.MinSeconds and <= UnixTime.MaxSeconds, "time must be in range");
        return new Candle(openTime, open, high, low, close, volume);
    }

    /// <summary>Creates a candle with order flow from values the caller has already checked; the buy and sell volumes are clamped so the flow invariant holds exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Candle FromTrusted(long openTime, double open, double high, double low, double close, double volume, double buyVolume, double sellVolume)
    {
        Debug.Assert(open > 0 && close > 0 && low > 0 && high < double.PositiveInfinity, "prices must be finite and positive");
        Debug.Assert(high >= Math.Max(open, close) && low <= Math.Min(open, close) && high >= low, "OHLC must be consistent");
        Debug.Assert(volume >= 0 && volume <= double.MaxValue, "volume must be finite and not negative");
        Debug.Assert(openTime is >= UnixTime.MinSeconds and <= UnixTime.MaxSeconds, "time must be in range");

        // Sums of the same non-negative terms: buy + sell ≤ volume holds up to an ulp of rounding; clamp it exact.
        var buy = double.MinNative(buyVolume, volume);
        var sell = double.MaxNative(double.MinNative(sellVolume, volume - buy), 0);
        return new Candle(openTime, open, high, low, close, volume, buy, sell);
    }

    /// <summary>Returns this candle with the given order flow.</summary>
    /// <param name="buyVolume">The volume traded by aggressive buyers.</param>
    /// <param name="sellVolume">The volume traded by aggressive sellers.</param>
    /// <returns>A copy with <see cref="BuyVolume"/> and <see cref="SellVolume"/> replaced.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A side's volume is negative or not finite, or the two exceed <see cref="Volume"/>.</exception>
    public Candle WithFlow(double buyVolume, double sellVolume)
    {
        if (!(buyVolume >= 0 && sellVolume >= 0 && buyVolume + sellVolume <= Volume))
        {
            ThrowHelper.ThrowArgumentOutOfRange(!(buyVolume >= 0) ? nameof(buyVolume) : nameof(sellVolume), !(buyVolume >= 0) ? buyVolume : sellVolume, $"The buy and sell volumes must not be negative, and together must not exceed the volume ({Volume}).");
        }

        return new Candle(OpenTime, Open, High, Low, Close, Volume, buyVolume, sellVolume);
    }

    /// <summary>
    /// Returns this candle with the order flow of an earlier version of the same interval, when this one has none and
    /// that flow fits its volume; otherwise this candle unchanged.
    /// </summary>
    /// <param name="earlier">An earlier version of the same interval, e.g. the live candle built from sided trades
    /// that an OHLCV bar of the same minute (which has no sides) now replaces.</param>
    /// <returns>This candle, with <paramref name="earlier"/>'s buy and sell volume when they carry over.</returns>
    /// <remarks>
    /// Feeds that send both OHLCV bars and trades (Databento's <c>ohlcv-1m</c> with <c>trades</c>) would otherwise lose
    /// the flow each time the authoritative bar replaces the trade-built candle. When the bar's volume is below the
    /// sided volume (trades seen twice), the flow cannot be right and is not carried.
    /// </remarks>
    public Candle WithFlowFrom(in Candle earlier) =>
        !HasFlow && earlier.HasFlow && earlier.BuyVolume + earlier.SellVolume <= Volume
            ? new Candle(OpenTime, Open, High, Low, Close, Volume, earlier.BuyVolume, earlier.SellVolume)
            : this;

    /// <summary>
    /// Returns this candle with another open time, for example floored to a timeframe boundary.
    /// </summary>
    /// <param name="openTime">The new open time in Unix seconds.</param>
    /// <returns>A copy with <see cref="OpenTime"/> replaced.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="openTime"/> is outside [<see cref="UnixTime.MinSeconds"/>, <see cref="UnixTime.MaxSeconds"/>].</exception>
    public Candle WithOpenTime(long openTime)
    {
        if (openTime is < UnixTime.MinSeconds or > UnixTime.MaxSeconds)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(openTime), openTime, $"The open time must be in Unix seconds between {UnixTime.MinSeconds} and {UnixTime.MaxSeconds}.");
        }

        return new Candle(openTime, Open, High, Low, Close, Volume, BuyVolume, SellVolume);
    }

    /// <summary>Returns this candle with its open moved to <paramref name="open"/>, extending high or low to keep OHLC consistent.</summary>
    internal Candle WithOpenExtending(double open) =>
        new(OpenTime, open, double.MaxNative(High, open), double.MinNative(Low, open), Close, Volume, BuyVolume, SellVolume);

    /// <summary>Returns this candle with its wicks limited to <paramref name="maxWick"/> beyond the body.</summary>
    internal Candle WithWicksClamped(double maxWick)
    {
        var high = Math.Min(High, Math.Max(Open, Close) + maxWick);
        // Never below the old low, so the low stays positive even when the limit exceeds the price.
        var low = Math.Max(Low, Math.Min(Open, Close) - maxWick);
        return new Candle(OpenTime, Open, high, low, Close, Volume, BuyVolume, SellVolume);
    }

    /// <summary>
    /// Formats the candle for logs: <c>2024-01-01T00:00:00Z O=2030.5 H=2031.2 L=2030.1 C=2031 V=15000</c>, followed
    /// by <c>B=… S=…</c> when it has order flow.
    /// </summary>
    /// <returns>The text, using the invariant culture and the shortest round-trip form of each number.</returns>
    public override string ToString() => IsDefault
        ? "(default candle)"
        : HasFlow
            ? string.Create(CultureInfo.InvariantCulture, $"{OpenTimeUtc:yyyy-MM-dd'T'HH:mm:ss'Z'} O={Open} H={High} L={Low} C={Close} V={Volume} B={BuyVolume} S={SellVolume}")
            : string.Create(CultureInfo.InvariantCulture, $"{OpenTimeUtc:yyyy-MM-dd'T'HH:mm:ss'Z'} O={Open} H={High} L={Low} C={Close} V={Volume}");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsValidPrice(double price) => price > 0 && price <= double.MaxValue;

    internal static CandleRejection CheckPrices(double open, double high, double low, double close)
    {
        if (IsValidPrice(open) && IsValidPrice(high) && IsValidPrice(low) && IsValidPrice(close))
        {
            return CandleRejection.None;
        }

        return double.IsFinite(open) && double.IsFinite(high) && double.IsFinite(low) && double.IsFinite(close)
            ? CandleRejection.NonPositivePrice
            : CandleRejection.NonFinitePrice;
    }

    private static void ThrowInvalid(CandleRejection rejection, long openTime, double open, double high, double low, double close, double volume)
    {
        switch (rejection)
        {
            case CandleRejection.InvalidVolume:
                ThrowHelper.ThrowArgumentOutOfRange(nameof(volume), volume, $"The volume must be in [0, {MaxVolume:0e0}].");
                break;
            case CandleRejection.TimeOutOfRange:
                ThrowHelper.ThrowArgumentOutOfRange(nameof(openTime), openTime, $"The open time must be Unix seconds in [0, {UnixTime.MaxSeconds}] or Unix milliseconds in [{UnixTime.MillisecondsThreshold}, {UnixTime.MaxMilliseconds}].");
                break;
            default:
                var (name, value) = !IsValidPrice(open) ? (nameof(open), open)
                    : !IsValidPrice(high) ? (nameof(high), high)
                    : !IsValidPrice(low) ? (nameof(low), low)
                    : (nameof(close), close);
                ThrowHelper.ThrowArgumentOutOfRange(name, value, "Prices must be finite and greater than zero.");
                break;
        }
    }
}
