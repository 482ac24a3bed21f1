using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace OrderFlow.Databento;

/// <summary>
/// A DBN price: a signed 64-bit fixed-point number where one unit is 1e-9, or the "no price" sentinel.
/// </summary>
/// <remarks>
/// <para>
/// <c>3720250000000</c> is 3720.25. <see cref="DbnConstants.UndefPrice"/> (<see cref="long.MaxValue"/>) means
/// "no price" (<see cref="IsUndefined"/>): it never converts to a number — <see cref="ToDouble"/> and
/// <see cref="ToDecimal"/> throw for it, and <see cref="TryGetDouble"/> returns <see langword="false"/>.
/// </para>
/// <para>
/// <see cref="ToDouble"/> gives the double nearest to the exact decimal value, the same double that parsing the
/// decimal text (<c>"3720.250000000"</c>) gives, so OrderFlow's double prices compare equal to prices read from
/// JSON. The struct is the same size as a <see cref="long"/> and is stored inline in record structs. The default
/// value is 0.0 (a defined price).
/// </para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct DbnPrice : IEquatable<DbnPrice>, IComparable<DbnPrice>, ISpanFormattable
{
    private const long MaxExactInDouble = 1L << 53;

    private readonly long _raw;

    /// <summary>Creates a price from its fixed-point value.</summary>
    /// <param name="raw">The value in units of 1e-9, or <see cref="DbnConstants.UndefPrice"/>.</param>
    public DbnPrice(long raw) => _raw = raw;

    /// <summary>The "no price" value.</summary>
    public static DbnPrice Undefined => new(DbnConstants.UndefPrice);

    /// <summary>The fixed-point value in units of 1e-9; <see cref="DbnConstants.UndefPrice"/> when undefined.</summary>
    public long Raw => _raw;

    /// <summary>Whether this is the "no price" sentinel.</summary>
    public bool IsUndefined => _raw == DbnConstants.UndefPrice;

    /// <summary>Creates a price from a decimal, rounding to the nearest 1e-9.</summary>
    /// <param name="value">The price.</param>
    /// <returns>The fixed-point price.</returns>
    /// <exception cref="OverflowException">The value is outside the fixed-point range.</exception>
    public static DbnPrice FromDecimal(decimal value) =>
        new(decimal.ToInt64(decimal.Round(value * DbnConstants.FixedPriceScale, MidpointRounding.ToEven)));

    /// <summary>Converts the price to the nearest <see cref="double"/> of its exact decimal value.</summary>
    /// <returns>The price as a double.</returns>
    /// <exception cref="InvalidOperationException">The price is undefined.</exception>
    public double ToDouble()
    {
        if (IsUndefined)
        {
            ThrowHelper.ThrowInvalidOperation("The price is undefined (UNDEF_PRICE); use TryGetDouble.");
        }

        return ToDoubleUnchecked(_raw);
    }

    /// <summary>Converts the price to a <see cref="double"/> unless it is undefined.</summary>
    /// <param name="value">The price, or 0 when undefined.</param>
    /// <returns><see langword="false"/> when the price is undefined.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetDouble(out double value)
    {
        if (IsUndefined)
        {
            value = 0;
            return false;
        }

        value = ToDoubleUnchecked(_raw);
        return true;
    }

    /// <summary>Converts the price to an exact <see cref="decimal"/>.</summary>
    /// <returns>The exact price.</returns>
    /// <exception cref="InvalidOperationException">The price is undefined.</exception>
    public decimal ToDecimal()
    {
        if (IsUndefined)
        {
            ThrowHelper.ThrowInvalidOperation("The price is undefined (UNDEF_PRICE); check IsUndefined first.");
        }

        return new decimal(_raw) / DbnConstants.FixedPriceScale;
    }

    /// <summary>Converts the price to an exact <see cref="decimal"/> unless it is undefined.</summary>
    /// <param name="value">The price, or 0 when undefined.</param>
    /// <returns><see langword="false"/> when the price is undefined.</returns>
    public bool TryGetDecimal(out decimal value)
    {
        value = IsUndefined ? 0m : new decimal(_raw) / DbnConstants.FixedPriceScale;
        return !IsUndefined;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDoubleUnchecked(long raw)
    {
        // Both operands are exact doubles and IEEE division rounds correctly, so the quotient is the double
        // nearest to the exact decimal: what double.Parse gives for the decimal text.
        if (raw is > -MaxExactInDouble and < MaxExactInDouble)
        {
            return raw / 1e9;
        }

        return ToDoubleSlow(raw);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ToDoubleSlow(long raw)
    {
        Span<char> text = stackalloc char[32];
        FormatFixed(raw, text, out var written);
        return double.Parse(text[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats the price as DBN's <c>--pretty-px</c> does: the decimal value with nine decimals
    /// (<c>3720.250000000</c>), or <c>UNDEF_PRICE</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(null, null);

    /// <inheritdoc cref="ToString()"/>
    /// <param name="format">Ignored; there is one format.</param>
    /// <param name="formatProvider">Ignored; the text is culture-invariant.</param>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> text = stackalloc char[32];
        TryFormat(text, out var written, format, formatProvider);
        return new string(text[..written]);
    }

    /// <summary>Formats the price into a span of characters, as <see cref="ToString()"/>.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">Ignored.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns><see langword="false"/> when the destination is too small.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        if (IsUndefined)
        {
            return "UNDEF_PRICE".TryCopyTo(destination) ? Set(11, out charsWritten) : Set(0, out charsWritten);
        }

        Span<char> text = stackalloc char[32];
        FormatFixed(_raw, text, out var n);
        return text[..n].TryCopyTo(destination) ? Set(n, out charsWritten) : Set(0, out charsWritten);

        static bool Set(int n, out int written)
        {
            written = n;
            return n > 0;
        }
    }

    /// <summary>Formats a fixed-point value (never the sentinel) with nine decimals into 32 characters.</summary>
    internal static void FormatFixed(long raw, Span<char> text, out int written)
    {
        var negative = raw < 0;
        // Math.Abs(long.MinValue) overflows; the magnitude is taken as unsigned instead.
        var abs = negative ? (ulong)(-(raw + 1)) + 1 : (ulong)raw;
        var integer = abs / DbnConstants.FixedPriceScale;
        var fraction = abs % DbnConstants.FixedPriceScale;
        var pos = 0;
        if (negative)
        {
            text[pos++] = '-';
        }

        integer.TryFormat(text[pos..], out var n, default, CultureInfo.InvariantCulture);
        pos += n;
        text[pos++] = '.';
        fraction.TryFormat(text[pos..], out n, "D9", CultureInfo.InvariantCulture);
        written = pos + n;
    }

    /// <inheritdoc/>
    public bool Equals(DbnPrice other) => _raw == other._raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DbnPrice other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _raw.GetHashCode();

    /// <summary>Compares the fixed-point values; the undefined price sorts above every defined price.</summary>
    /// <param name="other">The other price.</param>
    /// <returns>The comparison of the raw values.</returns>
    public int CompareTo(DbnPrice other) => _raw.CompareTo(other._raw);

    /// <summary>Whether two prices are equal.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether the raw values are equal.</returns>
    public static bool operator ==(DbnPrice left, DbnPrice right) => left._raw == right._raw;

    /// <summary>Whether two prices differ.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether the raw values differ.</returns>
    public static bool operator !=(DbnPrice left, DbnPrice right) => left._raw != right._raw;

    /// <summary>Orders two prices by raw value.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether left is below right.</returns>
    public static bool operator <(DbnPrice left, DbnPrice right) => left._raw < right._raw;

    /// <summary>Orders two prices by raw value.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether left is above right.</returns>
    public static bool operator >(DbnPrice left, DbnPrice right) => left._raw > right._raw;

    /// <summary>Orders two prices by raw value.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether left is at most right.</returns>
    public static bool operator <=(DbnPrice left, DbnPrice right) => left._raw <= right._raw;

    /// <summary>Orders two prices by raw value.</summary>
    /// <param name="left">The first price.</param>
    /// <param name="right">The second price.</param>
    /// <returns>Whether left is at least right.</returns>
    public static bool operator >=(DbnPrice left, DbnPrice right) => left._raw >= right._raw;
}
