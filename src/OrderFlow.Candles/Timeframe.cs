using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OrderFlow.Candles;

/// <summary>
/// The length of a candle: one of <c>1m 5m 15m 1h 4h 1d</c>.
/// </summary>
/// <remarks>
/// <para>
/// A candle of timeframe <c>tf</c> that opens at <c>t</c> covers the half-open interval <c>[t, t + tf)</c>:
/// closed on the left, open on the right. <see cref="Floor(long)"/> aligns to multiples of the length since the
/// Unix epoch, UTC (so <c>1d</c> opens at UTC midnight and <c>4h</c> at 00:00, 04:00, 08:00 … UTC), which is what
/// TradingView lightweight-charts and the seed expect. Session-anchored buckets (a CME trading day starting
/// 17:00 America/Chicago) are offered by <see cref="Sessions.CandleAlignment"/>.
/// </para>
/// <para>
/// The default value is <see cref="OneMinute"/>. Values are ordered by length. Instances are immutable and
/// thread-safe.
/// </para>
/// </remarks>
public readonly struct Timeframe : IEquatable<Timeframe>, IComparable<Timeframe>, IComparable,
    ISpanFormattable, IUtf8SpanFormattable, ISpanParsable<Timeframe>
{
    private const string ExpectedForm = "expected one of 1m, 5m, 15m, 1h, 4h, 1d (case-sensitive)";

    private static readonly int[] s_seconds = [60, 300, 900, 3_600, 14_400, 86_400];
    private static readonly string[] s_names = ["1m", "5m", "15m", "1h", "4h", "1d"];
    private static readonly Timeframe[] s_all = [new(0), new(1), new(2), new(3), new(4), new(5)];

    private readonly byte _ordinal;

    private Timeframe(byte ordinal) => _ordinal = ordinal;

    /// <summary>One minute, <c>1m</c> (60 s).</summary>
    public static Timeframe OneMinute => new(0);

    /// <summary>Five minutes, <c>5m</c> (300 s).</summary>
    public static Timeframe FiveMinutes => new(1);

    /// <summary>Fifteen minutes, <c>15m</c> (900 s).</summary>
    public static Timeframe FifteenMinutes => new(2);

    /// <summary>One hour, <c>1h</c> (3,600 s).</summary>
    public static Timeframe OneHour => new(3);

    /// <summary>Four hours, <c>4h</c> (14,400 s).</summary>
    public static Timeframe FourHours => new(4);

    /// <summary>One day, <c>1d</c> (86,400 s).</summary>
    public static Timeframe OneDay => new(5);

    /// <summary>Every timeframe, shortest first: <c>1m 5m 15m 1h 4h 1d</c>.</summary>
    public static IReadOnlyList<Timeframe> All => s_all;

    /// <summary>The position of this timeframe in <see cref="All"/> (0 for <c>1m</c> … 5 for <c>1d</c>), for table lookups.</summary>
    public int Ordinal => _ordinal;

    /// <summary>The length in seconds.</summary>
    public int Seconds
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_seconds[_ordinal];
    }

    /// <summary>The length as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>The canonical name: <c>1m</c>, <c>5m</c>, <c>15m</c>, <c>1h</c>, <c>4h</c> or <c>1d</c>.</summary>
    public string Name => s_names[_ordinal];

    /// <summary>
    /// Floors a time to the open time of the candle that contains it, aligned to the Unix epoch, UTC.
    /// </summary>
    /// <param name="unixSeconds">A time in Unix seconds (negative values are floored towards negative infinity).</param>
    /// <returns>The largest multiple of <see cref="Seconds"/> that is not greater than <paramref name="unixSeconds"/>.</returns>
    public long Floor(long unixSeconds)
    {
        var rem = Remainder(unixSeconds);
        return rem >= 0 ? unixSeconds - rem : unixSeconds - rem - Seconds;
    }

    /// <summary>
    /// <paramref name="value"/> / <see cref="Seconds"/>, truncated, with the divisor a constant in each branch so the
    /// JIT emits a multiply instead of a 64-bit division (tens of cycles each, on paths that run per candle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long Divide(long value) => _ordinal switch
    {
        0 => value / 60,
        1 => value / 300,
        2 => value / 900,
        3 => value / 3_600,
        4 => value / 14_400,
        _ => value / 86_400,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Remainder(long value) => _ordinal switch
    {
        0 => value % 60,
        1 => value % 300,
        2 => value % 900,
        3 => value % 3_600,
        4 => value % 14_400,
        _ => value % 86_400,
    };

    /// <summary>
    /// Whether <paramref name="unixSeconds"/> falls in the candle of this timeframe that opens at
    /// <paramref name="openTime"/>, that is in <c>[openTime, openTime + length)</c>.
    /// </summary>
    /// <param name="openTime">The candle's open time in Unix seconds.</param>
    /// <param name="unixSeconds">The time to test, in Unix seconds.</param>
    /// <returns><see langword="true"/> when the time is inside the candle's interval.</returns>
    public bool Contains(long openTime, long unixSeconds) =>
        unixSeconds >= openTime && unixSeconds - openTime < Seconds;

    /// <summary>
    /// Whether candles of this timeframe can be aggregated into <paramref name="coarser"/>, that is whether
    /// <paramref name="coarser"/> is a whole multiple of this one (a timeframe divides itself; 15m divides 1h,
    /// 1h does not divide 15m).
    /// </summary>
    /// <param name="coarser">The target timeframe.</param>
    /// <returns><see langword="true"/> when <paramref name="coarser"/> is a whole multiple of this timeframe.</returns>
    public bool Divides(Timeframe coarser) => coarser.Seconds % Seconds == 0;

    /// <summary>Parses one of the exact strings <c>1m 5m 15m 1h 4h 1d</c>.</summary>
    /// <param name="s">The text to parse.</param>
    /// <returns>The timeframe.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not one of the six timeframes; the message names it.</exception>
    public static Timeframe Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Timeframe Parse(ReadOnlySpan<char> s)
    {
        if (!TryParse(s, out var result))
        {
            ThrowHelper.ThrowFormat(CreateParseMessage(s));
        }

        return result;
    }

    /// <summary>Parses one of the exact strings <c>1m 5m 15m 1h 4h 1d</c>, without throwing.</summary>
    /// <param name="s">The text to parse; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="result">The timeframe, or the default when parsing failed.</param>
    /// <returns><see langword="true"/> when the text is a timeframe.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Timeframe result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <inheritdoc cref="TryParse(string?, out Timeframe)"/>
    public static bool TryParse(ReadOnlySpan<char> s, out Timeframe result)
    {
        // Exactly "<digits><unit>", matched by hand: this runs for every feed message and API request.
        byte ordinal = s switch
        {
            "1m" => 0,
            "5m" => 1,
            "15m" => 2,
            "1h" => 3,
            "4h" => 4,
            "1d" => 5,
            _ => byte.MaxValue,
        };
        result = new Timeframe(ordinal == byte.MaxValue ? (byte)0 : ordinal);
        return ordinal != byte.MaxValue;
    }

    /// <summary>Parses UTF-8 bytes holding one of the exact strings <c>1m 5m 15m 1h 4h 1d</c>, without throwing.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <param name="result">The timeframe, or the default when parsing failed.</param>
    /// <returns><see langword="true"/> when the text is a timeframe.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Timeframe result)
    {
        byte ordinal = byte.MaxValue;
        if (utf8Text.Length == 2)
        {
            ordinal = (utf8Text[0], utf8Text[1]) switch
            {
                ((byte)'1', (byte)'m') => 0,
                ((byte)'5', (byte)'m') => 1,
                ((byte)'1', (byte)'h') => 3,
                ((byte)'4', (byte)'h') => 4,
                ((byte)'1', (byte)'d') => 5,
                _ => byte.MaxValue,
            };
        }
        else if (utf8Text.Length == 3 && utf8Text[0] == '1' && utf8Text[1] == '5' && utf8Text[2] == 'm')
        {
            ordinal = 2;
        }

        result = new Timeframe(ordinal == byte.MaxValue ? (byte)0 : ordinal);
        return ordinal != byte.MaxValue;
    }

    /// <summary>Returns the timeframe whose length is <paramref name="seconds"/>, if there is one.</summary>
    /// <param name="seconds">A length in seconds (60, 300, 900, 3600, 14400 or 86400).</param>
    /// <param name="result">The timeframe, or the default when there is none of that length.</param>
    /// <returns><see langword="true"/> when one of the six timeframes has that length.</returns>
    public static bool TryFromSeconds(int seconds, out Timeframe result)
    {
        var index = Array.IndexOf(s_seconds, seconds);
        result = new Timeframe(index < 0 ? (byte)0 : (byte)index);
        return index >= 0;
    }

    static Timeframe IParsable<Timeframe>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Timeframe>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Timeframe result) =>
        TryParse(s, out result);

    static Timeframe ISpanParsable<Timeframe>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<Timeframe>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Timeframe result) =>
        TryParse(s, out result);

    /// <summary>Returns the canonical name, e.g. <c>15m</c>; <see cref="Parse(string)"/> reads it back.</summary>
    /// <returns>The canonical name.</returns>
    public override string ToString() => Name;

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => Name;

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var name = Name;
        if (name.AsSpan().TryCopyTo(destination))
        {
            charsWritten = name.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var name = Name;
        if (utf8Destination.Length < name.Length)
        {
            bytesWritten = 0;
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            utf8Destination[i] = (byte)name[i];
        }

        bytesWritten = name.Length;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Timeframe other) => _ordinal == other._ordinal;

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Timeframe other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _ordinal;

    /// <inheritdoc/>
    public int CompareTo(Timeframe other) => _ordinal.CompareTo(other._ordinal);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Timeframe other => CompareTo(other),
        _ => throw ThrowHelper.CreateArgument(nameof(obj), $"Object must be of type {nameof(Timeframe)}."),
    };

    /// <summary>Equality.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when both are the same timeframe.</returns>
    public static bool operator ==(Timeframe left, Timeframe right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(Timeframe left, Timeframe right) => !left.Equals(right);

    /// <summary>Shorter than.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is shorter.</returns>
    public static bool operator <(Timeframe left, Timeframe right) => left._ordinal < right._ordinal;

    /// <summary>Longer than.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is longer.</returns>
    public static bool operator >(Timeframe left, Timeframe right) => left._ordinal > right._ordinal;

    /// <summary>Shorter than or equal.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not longer.</returns>
    public static bool operator <=(Timeframe left, Timeframe right) => left._ordinal <= right._ordinal;

    /// <summary>Longer than or equal.</summary>
    /// <param name="left">The first timeframe.</param>
    /// <param name="right">The second timeframe.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not shorter.</returns>
    public static bool operator >=(Timeframe left, Timeframe right) => left._ordinal >= right._ordinal;

    private static string CreateParseMessage(ReadOnlySpan<char> s)
    {
        const int MaxShown = 32;
        var shown = s.Length > MaxShown ? string.Concat(s[..MaxShown], "…") : s.ToString();
        return $"'{shown}' is not a timeframe: {ExpectedForm}.";
    }
}
