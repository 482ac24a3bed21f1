using System.Runtime.CompilerServices;

namespace OrderFlow.Feed.Protocol;

/// <summary>
/// Parses the plain JSON numbers market data is made of (<c>2030.5</c>, <c>1704067200000</c>) without the general
/// parser, with results identical to it. Anything else (exponents, more than 15 significant digits) returns
/// <see langword="false"/> and the caller falls back to <see cref="System.Text.Json.Utf8JsonReader"/>.
/// </summary>
/// <remarks>
/// For a decimal with at most 15 significant digits and at most 22 fractional digits, both the digits (as an integer
/// below 2^53) and the power of ten are exact doubles, so one IEEE division gives the correctly rounded result: the
/// same double the general parser returns (Clinger's fast path).
/// </remarks>
internal static class FastNumber
{
    private const int MaxDigits = 15;

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var i = 0;
        var negative = false;
        if ((uint)text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var significant = 0;
        var fraction = -1;
        for (; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                if (mantissa != 0 || digit != 0)
                {
                    if (++significant > MaxDigits)
                    {
                        value = 0;
                        return false;
                    }
                }

                mantissa = (mantissa * 10) + digit;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (text[i] == (byte)'.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                value = 0;
                return false;
            }
        }

        if (fraction > 22 || fraction == 0 || (negative ? text.Length == 1 : text.Length == 0))
        {
            value = 0;
            return false;
        }

        var result = fraction > 0 ? mantissa / s_powersOfTen[fraction] : (double)mantissa;
        value = negative ? -result : result;
        return true;
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
