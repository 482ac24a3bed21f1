using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>Reads the replay CSV format (see <see cref="CsvReplaySource"/>) line by line, naming file and line on error.</summary>
internal static class CsvReplayParser
{
    private const string Expected = "expected 8 fields 'symbol,timeframe,time,open,high,low,close,volume' (a candle) or 4 fields 'symbol,time,price,size' (a trade)";

    public static void Parse(TextReader reader, string fileName, List<MarketDataEvent> records)
    {
        var lineNumber = 0;
        Span<Range> ranges = stackalloc Range[10];
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }

            var count = text.Split(ranges, ',');
            if (text[ranges[0]].Trim().Equals("symbol", StringComparison.OrdinalIgnoreCase))
            {
                // A header line (no symbol is lower case); files joined together may repeat it.
                continue;
            }

            switch (count)
            {
                case 8:
                    records.Add(ParseCandle(text, ranges, fileName, lineNumber));
                    break;
                case 4:
                    records.Add(ParseTick(text, ranges, fileName, lineNumber));
                    break;
                default:
                    throw Error(fileName, lineNumber, line, string.Create(CultureInfo.InvariantCulture, $"{Expected}, found {count}{(count == ranges.Length ? " or more" : string.Empty)}"));
            }
        }
    }

    private static MarketDataEvent ParseCandle(ReadOnlySpan<char> text, Span<Range> f, string file, int line)
    {
        var symbol = ParseSymbol(text[f[0]], file, line, text);
        if (!Timeframe.TryParse(text[f[1]].Trim(), out var timeframe))
        {
            throw Error(file, line, text, $"bad timeframe '{text[f[1]].Trim()}' (expected 1m, 5m, 15m, 1h, 4h or 1d)");
        }

        var timeMs = ParseTime(text[f[2]], file, line, text);
        var open = ParseNumber(text[f[3]], "open", file, line, text);
        var high = ParseNumber(text[f[4]], "high", file, line, text);
        var low = ParseNumber(text[f[5]], "low", file, line, text);
        var close = ParseNumber(text[f[6]], "close", file, line, text);
        var volume = ParseNumber(text[f[7]], "volume", file, line, text);
        var seconds = timeMs / 1000;
        if (timeMs % 1000 != 0 || timeframe.Floor(seconds) != seconds)
        {
            throw Error(file, line, text, string.Create(CultureInfo.InvariantCulture, $"candle time {timeMs} ms is not aligned to {timeframe}"));
        }

        var rejection = Candle.TryCreate(seconds, open, high, low, close, volume, out var candle);
        if (rejection != CandleRejection.None)
        {
            throw Error(file, line, text, $"invalid candle ({rejection})");
        }

        return MarketDataEvent.ForCandle(symbol, timeframe, candle);
    }

    private static MarketDataEvent ParseTick(ReadOnlySpan<char> text, Span<Range> f, string file, int line)
    {
        var symbol = ParseSymbol(text[f[0]], file, line, text);
        var timeMs = ParseTime(text[f[1]], file, line, text);
        var price = ParseNumber(text[f[2]], "price", file, line, text);
        var size = ParseNumber(text[f[3]], "size", file, line, text);
        if (!(price > 0 && double.IsFinite(price)))
        {
            throw Error(file, line, text, "invalid trade: the price must be finite and greater than zero");
        }

        if (!(size >= 0 && size <= Candle.MaxVolume))
        {
            throw Error(file, line, text, "invalid trade: the size must be between 0 and 1e15");
        }

        return MarketDataEvent.ForTick(symbol, new Tick(timeMs, price, size));
    }

    private static Symbol ParseSymbol(ReadOnlySpan<char> field, string file, int line, ReadOnlySpan<char> text)
    {
        field = field.Trim();
        if (!Symbol.TryParse(field, out var symbol))
        {
            throw Error(file, line, text, $"bad symbol '{field}' (A-Z 0-9 . _ -, at most {Symbol.MaxLength} characters)");
        }

        return symbol;
    }

    private static long ParseTime(ReadOnlySpan<char> field, string file, int line, ReadOnlySpan<char> text)
    {
        field = field.Trim();
        if (long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var raw))
        {
            if (raw >= 0 && UnixTime.TryToMilliseconds(raw, out var ms))
            {
                return ms;
            }
        }
        else if (DateTimeOffset.TryParse(field, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && parsed.ToUnixTimeMilliseconds() >= 0)
        {
            return parsed.ToUnixTimeMilliseconds();
        }

        throw Error(file, line, text, $"bad time '{field}' (expected Unix seconds or milliseconds, or an ISO 8601 UTC time)");
    }

    private static double ParseNumber(ReadOnlySpan<char> field, string name, string file, int line, ReadOnlySpan<char> text)
    {
        field = field.Trim();
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(file, line, text, $"bad {name} '{field}' (expected a finite number such as 2031.25)");
        }

        return value;
    }

    private static CsvFormatException Error(string file, int line, ReadOnlySpan<char> text, string reason)
    {
        var shown = text.Length > 120 ? string.Concat(text[..117], "...") : text.ToString();
        return new CsvFormatException(file, line, $"{reason}: '{shown}'");
    }
}
