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
         from shape in Gen.Choose(0, 3)
         select shape switch
         {
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

    [Theory]
    [InlineData("2030.5", true)]
    [InlineData("0.005", true)]
    [InlineData("-0", true)]
    [InlineData("1704067200000", true)]
    [InlineData("1e5", false)]
    [InlineData("1234567890123456", false)]
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
