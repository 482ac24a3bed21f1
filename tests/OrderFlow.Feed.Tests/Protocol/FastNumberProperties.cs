using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

/// <summary>The fast number path gives exactly the general parser's double, or declines.</summary>
public class FastNumberProperties
{
    private const int Cases = 1000;

    public static Arbitrary<string> Decimals() =>
        (from sign in Gen.Elements("", "-")
         from whole in Gen.Choose(0, int.MaxValue)
         from scale in Gen.Choose(0, 12)
         from fraction in Gen.Choose(0, int.MaxValue)
         from shape in Gen.Choose(0, 5)
         from tail in Gen.Choose(0, int.MaxValue)
         from price in Gen.Choose(1, 2_000_000)
         from ticks in Gen.Choose(-50, 50)
         select shape switch
         {
             // 16 to 19 significant digits, as float arithmetic prints prices (2031.1999999999998): the exact path.
             3 => $"{sign}{whole % 100000}.{((long)fraction * 1_000_000_000L) + (tail % 1_000_000_000)}",
             4 => (sign == "-" ? -1 : 1) * ((price * 0.05) + (ticks * 0.1)) is var p && p != 0 ? p.ToString("R", CultureInfo.InvariantCulture) : "0.30000000000000004",
             0 => $"{sign}{whole}",
             1 => $"{sign}{whole % 100000}.{(fraction % (int)Math.Pow(10, Math.Min(scale, 9))).ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(1, Math.Min(scale, 9)), '0')}",
             2 => $"{sign}0.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0')}",
             _ => $"{sign}{whole}{fraction}.{fraction % 1000}",
         }).ToArbitrary();

    [Property(MaxTest = Cases, Arbitrary = [typeof(FastNumberProperties)])]
    public void TryParseDouble_AgreesBitForBitWithTheGeneralParser(string text)
    {
        var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out var actual))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }
    }

    [Fact]
    public void TryParseDouble_LongDecimals_AreCorrectlyRounded()
    {
        // 16 to 19 significant digits take the exact path: 200,000 random ones, near ties and printed doubles among
        // them, must equal the general parser bit for bit, and price-like ones must all be taken.
        var rng = new Random(1234);
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            string text;
            switch (i % 4)
            {
                case 0:
                    // A printed double: shortest round-trip text of a price computed in floating point.
                    text = ((rng.Next(1, 400_000) * 0.05) + (rng.Next(-9, 10) * 0.1)).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case 1:
                    // Random 17-19 digits with 1-21 fractional digits.
                    var all = rng.NextInt64(100_000_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture);
                    var digits = all[..Math.Min(all.Length, rng.Next(17, 20))];
                    var point = rng.Next(Math.Max(1, digits.Length - 21), digits.Length);
                    text = $"{digits[..point]}.{digits[point..]}";
                    break;
                case 2:
                    // Next to a midpoint between two doubles: its exact decimal expansion cut to 19 digits, or that
                    // plus one in the last digit (just below and just above the tie).
                    text = NearMidpoint(rng.NextDouble() * rng.Next(1, 100_000), rng.Next(2) == 0);
                    break;
                default:
                    text = $"{rng.Next(0, 100_000)}.{rng.NextInt64(0, 1_000_000_000_000_000).ToString(CultureInfo.InvariantCulture).PadLeft(15, '0')}";
                    break;
            }

            var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out var actual))
            {
                taken++;
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{text}: expected {expected:R}, got {actual:R}");
            }
            else
            {
                Assert.True(i % 4 != 0, $"{text} is a printed price and must take the fast path");
            }
        }

        Assert.True(taken > 150_000, $"only {taken} of 200,000 took the fast path");
    }

    /// <summary>The midpoint above <paramref name="d"/>, exactly (2m+1)·5^k / 10^k, cut to 19 significant digits.</summary>
    private static string NearMidpoint(double d, bool above)
    {
        var bits = BitConverter.DoubleToInt64Bits(d);
        var m = (bits & 0xF_FFFF_FFFF_FFFF) | (1L << 52);
        var k = 1 - ((int)((bits >> 52) & 0x7FF) - 1075);
        var digits = ((new System.Numerics.BigInteger((2 * m) + 1) * System.Numerics.BigInteger.Pow(5, k)) ).ToString(CultureInfo.InvariantCulture);
        var whole = digits.Length - k;
        var padded = whole > 0 ? digits : new string('0', 1 - whole) + digits;
        whole = Math.Max(whole, 1);
        var significant = padded.TrimStart('0').Length;
        var keep = padded.Length - Math.Max(0, significant - 19);
        var cut = System.Numerics.BigInteger.Parse(padded[..keep], CultureInfo.InvariantCulture) + (above ? 1 : 0);
        var text = cut.ToString(CultureInfo.InvariantCulture).PadLeft(keep, '0');
        return keep > whole ? $"{text[..whole]}.{text[whole..]}" : text[..whole];
    }

    [Theory]
    [InlineData("2030.5", true)]
    [InlineData("0.005", true)]
    [InlineData("-0", true)]
    [InlineData("1704067200000", true)]
    [InlineData("1e5", false)]
    [InlineData("1234567890123456", true)]
    [InlineData("2031.1999999999998", true)]
    [InlineData("0.30000000000000004", true)]
    [InlineData("12345678901234567890", false)]
    [InlineData("0.1234567890123456789012", false)]
    [InlineData("-", false)]
    [InlineData("1.", false)]
    [InlineData("", false)]
    public void TryParseDouble_TakesOnlyPlainDecimals(string text, bool fast)
    {
        Assert.Equal(fast, FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value));
        if (fast)
        {
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
        }
    }

    [Theory]
    [InlineData("1704067200000", true, 1704067200000L)]
    [InlineData("0", true, 0L)]
    [InlineData("-5", false, 0L)]
    [InlineData("1.5", false, 0L)]
    [InlineData("9999999999999999999", false, 0L)]
    public void TryParseInt64_TakesOnlyPlainDigits(string text, bool fast, long expected)
    {
        Assert.Equal(fast, FastNumber.TryParseInt64(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }
}
