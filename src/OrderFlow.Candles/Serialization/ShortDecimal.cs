using System.Globalization;

namespace OrderFlow.Candles.Serialization;

/// <summary>
/// Formats the short decimals prices and volumes almost always are (2030.5, 0.125, 15000) from an integer and a digit
/// count: several times faster than the general shortest round-trip formatter, which takes over for everything else.
/// </summary>
internal static class ShortDecimal
{
    /// <summary>Room for the longest text <see cref="TryFormat"/> writes, sign included.</summary>
    public const int MaxLength = 32;

    private static readonly double[] s_pow10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

    /// <summary>
    /// Formats <paramref name="value"/> as <c>M·10^-k</c> with the smallest k ≤ 8 for which the integer M satisfies
    /// M / 10^k == value in double arithmetic. Since M and 10^k are exact doubles and division is correctly rounded,
    /// value is the double nearest the decimal M·10^-k, which is what any correct parser returns for the text.
    /// </summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!(value >= 0 && value < 1e15))
        {
            return false;
        }

        for (var k = 0; k < s_pow10.Length; k++)
        {
            var scaled = value * s_pow10[k];
            if (scaled >= 9e15)
            {
                return false;
            }

            var m = Math.Round(scaled);
            if (m / s_pow10[k] != value)
            {
                continue;
            }

            Span<byte> digits = stackalloc byte[20];
            ((long)m).TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
            if (k == 0)
            {
                digits[..count].CopyTo(destination);
                written = count;
                return true;
            }

            var pos = 0;
            var integerDigits = count - k;
            if (integerDigits <= 0)
            {
                destination[pos++] = (byte)'0';
                destination[pos++] = (byte)'.';
                for (var i = integerDigits; i < 0; i++)
                {
                    destination[pos++] = (byte)'0';
                }

                digits[..count].CopyTo(destination[pos..]);
                pos += count;
            }
            else
            {
                digits[..integerDigits].CopyTo(destination);
                pos = integerDigits;
                destination[pos++] = (byte)'.';
                digits[integerDigits..count].CopyTo(destination[pos..]);
                pos += k;
            }

            written = pos;
            return true;
        }

        return false;
    }
}
