using System.Text;
using FsCheck.Xunit;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Laws of <see cref="Timeframe"/>, <see cref="Symbol"/> and <see cref="Sessions.CandleAlignment"/>.</summary>
[Properties(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = PropertySettings.MaxTest)]
public class TimeframeProperties
{
    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Timeframe_FormatThenParse_RoundTrips(Timeframe timeframe, byte bufferLength)
    {
        Assert.Equal(timeframe, Timeframe.Parse(timeframe.ToString()));
        Assert.Equal(timeframe, Timeframe.Parse(timeframe.ToString().AsSpan()));
        Assert.True(Timeframe.TryParse(timeframe.ToString(null, null), out var parsed) && parsed == timeframe);
        Assert.True(Timeframe.TryParse(Encoding.UTF8.GetBytes(timeframe.Name), out var fromUtf8) && fromUtf8 == timeframe);
        Assert.True(Timeframe.TryFromSeconds(timeframe.Seconds, out var fromSeconds) && fromSeconds == timeframe);
        Assert.Equal(timeframe, Timeframe.All[timeframe.Ordinal]);

        // TryFormat into any buffer: the whole name or nothing.
        var length = bufferLength % 6;
        Span<char> chars = stackalloc char[length];
        var fits = length >= timeframe.Name.Length;
        Assert.Equal(fits, timeframe.TryFormat(chars, out var written, default, null));
        Assert.Equal(fits ? timeframe.Name.Length : 0, written);
        if (fits)
        {
            Assert.True(Timeframe.TryParse(chars[..written], out var back) && back == timeframe);
        }

        Span<byte> bytes = stackalloc byte[length];
        Assert.Equal(fits, timeframe.TryFormat(bytes, out var bytesWritten, default, null));
        Assert.Equal(fits ? timeframe.Name.Length : 0, bytesWritten);
        if (fits)
        {
            Assert.True(Timeframe.TryParse((ReadOnlySpan<byte>)bytes[..bytesWritten], out var back) && back == timeframe);
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Timeframe_ParseRejectsEverythingButTheSixNames(NonTimeframeText text)
    {
        Assert.False(Timeframe.TryParse(text.Value, out _));
        Assert.False(Timeframe.TryParse(text.Value.AsSpan(), out _));
        Assert.False(Timeframe.TryParse(Encoding.UTF8.GetBytes(text.Value), out _));
        var error = Assert.Throws<FormatException>(() => Timeframe.Parse(text.Value));
        Assert.Contains("1m, 5m, 15m, 1h, 4h, 1d", error.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Timeframe_Floor_IsAlignedNotAfterAndWithinOneLength(Timeframe timeframe, AnySeconds time)
    {
        var t = time.Value;
        var floor = timeframe.Floor(t);
        Assert.Equal(0, floor % timeframe.Seconds);
        Assert.True(floor <= t, $"Floor({t}) = {floor} is after the time");
        Assert.True(floor > t - timeframe.Seconds, $"Floor({t}) = {floor} is a whole length or more before the time");
        Assert.True(timeframe.Contains(floor, t));
        Assert.Equal(floor, timeframe.Floor(floor));
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Timeframe_FloorsNest_WhenOneDividesTheOther(Timeframe fine, Timeframe coarse, AnySeconds time)
    {
        if (!fine.Divides(coarse))
        {
            Assert.True(coarse.Seconds % fine.Seconds != 0);
            return;
        }

        // The coarse bucket starts on a fine boundary, and the fine bucket lies inside it.
        var coarseFloor = coarse.Floor(time.Value);
        Assert.Equal(coarseFloor, fine.Floor(coarseFloor));
        Assert.Equal(coarseFloor, coarse.Floor(fine.Floor(time.Value)));
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Alignment_CmeBucket_ContainsTheTimeAndNests(Timeframe timeframe, ModernSeconds time)
    {
        var alignment = PropertySettings.Cme;
        var t = time.Value;
        var bucket = alignment.GetBucket(t, timeframe);
        Assert.True(bucket.Contains(t), $"{bucket} does not contain {t}");
        Assert.Equal(bucket.Start, alignment.Floor(bucket.Start, timeframe));
        Assert.Equal(bucket, alignment.GetBucket(bucket.End - 1, timeframe));
        if (timeframe < Timeframe.OneHour)
        {
            Assert.Equal(timeframe.Floor(t), bucket.Start);
        }

        // A bucket lies inside the bucket of every timeframe it divides.
        foreach (var coarse in Timeframe.All.Where(c => c > timeframe && timeframe.Divides(c)))
        {
            var outer = alignment.GetBucket(t, coarse);
            Assert.True(outer.Start <= bucket.Start && bucket.End <= outer.End, $"{timeframe} {bucket} is not inside {coarse} {outer}");
        }
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Symbol_ParseThenFormat_RoundTrips(ValidSymbolText text)
    {
        var s = text.Value;
        Assert.True(Symbol.TryParse(s, out var symbol));
        Assert.Equal(s, symbol.Value);
        Assert.Equal(s, symbol.ToString());
        Assert.False(symbol.IsEmpty);
        Assert.Equal(symbol, Symbol.Parse(symbol.ToString()));
        Assert.Equal(symbol, Symbol.Parse(s.AsSpan()));
        Assert.True(Symbol.TryParse(Encoding.UTF8.GetBytes(s), out var fromUtf8) && fromUtf8 == symbol);
        Assert.Equal(symbol.GetHashCode(), fromUtf8.GetHashCode());
    }

    [Property(MaxTest = PropertySettings.MaxTest)]
    public void Symbol_InvalidText_IsRejected(InvalidSymbolText text)
    {
        Assert.False(Symbol.TryParse(text.Value, out var symbol));
        Assert.True(symbol.IsEmpty);
        Assert.False(Symbol.TryParse(text.Value.AsSpan(), out _));
        Assert.False(Symbol.TryParse(Encoding.UTF8.GetBytes(text.Value), out _));
        Assert.Throws<FormatException>(() => Symbol.Parse(text.Value));
    }
}
