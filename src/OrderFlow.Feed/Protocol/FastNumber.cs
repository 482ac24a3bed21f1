using System.Runtime.CompilerServices;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// Parses the plain JSON numbers market data is made of (<c>2030.5</c>, <c>1704067200000</c>) without the general
/// parser, with results identical to it. Anything else (exponents, more than 19 significant digits, extreme
/// magnitudes) returns <see langword="false"/> and the caller falls back to the general parser.
/// </summary>
/// <remarks>
/// For a decimal with at most 15 significant digits and at most 22 fractional digits, both the digits (as an integer
/// below 2^53) and the power of ten are exact doubles, so one IEEE division gives the correctly rounded result: the
/// same double the general parser returns (Clinger's fast path). From 16 to 19 digits the estimate is checked and
/// corrected with exact 128-bit integer comparisons.
/// </remarks>
internal static class FastNumber
{
    /// <summary>Up to this many significant digits the mantissa is exact in a double and one division rounds correctly.</summary>
    private const int ClingerDigits = 15;

    /// <summary>Up to this many significant digits the mantissa fits in a <see cref="ulong"/> (the exact path).</summary>
    private const int MaxDigits = 19;

    /// <summary>The exact path multiplies by 10^k in 128 bits: k ≤ 21 keeps every product below 2^128.</summary>
    private const int MaxExactFraction = 21;

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private static readonly UInt128[] s_wideTens = CreateWideTens();

    private static UInt128[] CreateWideTens()
    {
        var tens = new UInt128[MaxExactFraction + 1];
        tens[0] = 1;
        for (var i = 1; i < tens.Length; i++)
        {
            tens[i] = tens[i - 1] * 10;
        }

        return tens;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        // The same one-pass scan as the canonical frame reader, over a whole number token.
        var end = 0;
        if (TryScan(text, ref end, out var mantissa, out var significant, out var fraction, out var negative) && end == text.Length)
        {
            return TryCompose(mantissa, significant, fraction, negative, out value);
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// The double of a decimal given by its digits: <paramref name="mantissa"/> (<paramref name="significant"/>
    /// significant digits) over 10^<paramref name="fraction"/> (−1 or 0: an integer). <see langword="false"/> when
    /// it needs the general parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCompose(ulong mantissa, int significant, int fraction, bool negative, out double value)
    {
        double result;
        if (significant <= ClingerDigits && fraction <= 22)
        {
            result = fraction > 0 ? mantissa / s_powersOfTen[fraction] : (double)mantissa;
        }
        else if (significant > MaxDigits || !TryRoundExactly(mantissa, Math.Max(fraction, 0), out result))
        {
            value = 0;
            return false;
        }

        value = negative ? -result : result;
        return true;
    }

    /// <summary>
    /// Checks the syntax of a JSON number without exponent (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c>) at
    /// <paramref name="s"/>[<paramref name="i"/>] and gathers its digits in the same pass, advancing
    /// <paramref name="i"/> past it. <see langword="false"/> for anything else (an exponent included); the
    /// delimiter after the number is the caller's to check. <paramref name="significant"/> keeps counting past 19
    /// digits, where <paramref name="mantissa"/> stops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryScan(ReadOnlySpan<byte> s, ref int i, out ulong mantissa, out int significant, out int fraction, out bool negative)
    {
        mantissa = 0;
        significant = 0;
        fraction = -1;
        negative = false;
        var j = i;
        if ((uint)j < (uint)s.Length && s[j] == (byte)'-')
        {
            negative = true;
            j++;
        }

        if ((uint)j >= (uint)s.Length)
        {
            return false;
        }

        var digit = (uint)(s[j] - '0');
        if (digit == 0)
        {
            j++;
        }
        else if (digit <= 9)
        {
            do
            {
                if (++significant <= MaxDigits)
                {
                    mantissa = (mantissa * 10) + digit;
                }

                j++;
            }
            while ((uint)j < (uint)s.Length && (digit = (uint)(s[j] - '0')) <= 9);
        }
        else
        {
            return false;
        }

        if ((uint)j < (uint)s.Length && s[j] == (byte)'.')
        {
            j++;
            fraction = 0;
            while ((uint)j < (uint)s.Length && (digit = (uint)(s[j] - '0')) <= 9)
            {
                if (mantissa != 0 || digit != 0)
                {
                    if (++significant <= MaxDigits)
                    {
                        mantissa = (mantissa * 10) + digit;
                        fraction++;
                    }
                }
                else
                {
                    fraction++;
                }

                j++;
            }

            if (s[j - 1] == (byte)'.')
            {
                return false;
            }
        }

        if ((uint)j < (uint)s.Length && (s[j] | 0x20) == (byte)'e')
        {
            return false;
        }

        i = j;
        return true;
    }

    /// <summary>
    /// The double nearest to <paramref name="mantissa"/> / 10^<paramref name="fraction"/> (ties to even) for 16 to 19
    /// significant digits, as float arithmetic prints them (<c>2031.1999999999998</c>): a first estimate, then
    /// exact 128-bit comparisons against the midpoints to its neighbours, stepping until the value lies between
    /// them. <see langword="false"/> (the caller takes the general parser) where the comparison would not fit in
    /// 128 bits: very small or very large magnitudes, more than 21 fractional digits.
    /// </summary>
    private static bool TryRoundExactly(ulong mantissa, int fraction, out double value)
    {
        value = 0;
        if (fraction > MaxExactFraction)
        {
            return false;
        }

        var scale = s_wideTens[fraction];
        var d = mantissa / s_powersOfTen[fraction];
        for (var step = 0; step < 4; step++)
        {
            // d = m·2^e with m a 53-bit integer; the exact x = mantissa / 10^fraction rounds to d when it lies between
            // the midpoints (2m−1)·2^(e−1) and (2m+1)·2^(e−1), compared as mantissa·2^(1−e) against (2m±1)·10^fraction.
            var bits = BitConverter.DoubleToInt64Bits(d);
            var biased = (int)(bits >> 52) & 0x7FF;
            var m = (ulong)(bits & 0xF_FFFF_FFFF_FFFF) | (1UL << 52);
            var shift = 1 - (biased - 1075);
            if (biased == 0 || shift < 0 || shift > 62)
            {
                return false;
            }

            var x = (UInt128)mantissa << shift;
            var upper = (UInt128)((2 * m) + 1) * scale;
            if (x > upper || (x == upper && (m & 1) == 1))
            {
                d = Math.BitIncrement(d);
                continue;
            }

            // Below a power of two the gap to the lower neighbour is half as wide: its midpoint is (4m−1)·2^(e−2).
            var powerOfTwo = m == 1UL << 52;
            var lower = powerOfTwo ? (UInt128)((4 * m) - 1) * scale : (UInt128)((2 * m) - 1) * scale;
            var xLow = powerOfTwo ? x << 1 : x;
            if (xLow < lower || (xLow == lower && (m & 1) == 1))
            {
                d = Math.BitDecrement(d);
                continue;
            }

            value = d;
            return true;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        // Up to 18 digits cannot overflow; longer or signed values take the general path.
        if ((uint)(text.Length - 1) >= 18)
        {
            value = 0;
            return false;
        }

        long result = 0;
        foreach (var b in text)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                value = 0;
                return false;
            }

            result = (result * 10) + digit;
        }

        value = result;
        return true;
    }
}
