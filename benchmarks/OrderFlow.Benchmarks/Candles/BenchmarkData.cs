using OrderFlow.Candles;

namespace OrderFlow.Benchmarks.Candles;

/// <summary>
/// Deterministic inputs for the Candles benchmarks: GC-like prices (a random walk in 0.1-point steps around 2,030)
/// on the CME Globex calendar, from a fixed-seed <see cref="Random"/>, so every run measures the same data.
/// </summary>
/// <remarks>
/// The calendar is simplified to UTC: trading from Sunday 23:00 to Friday 22:00, with a daily break from 22:00 to
/// 23:00 (CME's 16:00–17:00 Chicago maintenance window in winter).
/// </remarks>
internal static class BenchmarkData
{
    /// <summary>The seed of every generator here.</summary>
    public const int Seed = 20_240_902;

    /// <summary>The first minute of the generated series: Monday 2024-09-02 00:00 UTC, inside a trading session.</summary>
    public static readonly long StartSeconds = new DateTimeOffset(2024, 9, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>The price the walks start from, in 0.1-point steps (2,030.0).</summary>
    private const long StartPriceTenths = 20_300;

    /// <summary>Whether the minute that opens at <paramref name="unixSeconds"/> is a trading minute.</summary>
    public static bool IsTradingMinute(long unixSeconds)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        return time.Hour != 22 && time.DayOfWeek switch
        {
            DayOfWeek.Saturday => false,
            DayOfWeek.Sunday => time.Hour >= 23,
            DayOfWeek.Friday => time.Hour < 22,
            _ => true,
        };
    }

    /// <summary>
    /// A strictly ascending 1m series of <paramref name="count"/> consecutive trading minutes from
    /// <see cref="StartSeconds"/> (about 14.5 weeks for 100,000), each opening at the previous close.
    /// </summary>
    public static Candle[] AscendingMinutes(int count)
    {
        var random = new Random(Seed);
        var result = new Candle[count];
        var time = StartSeconds;
        var close = StartPriceTenths;
        for (var i = 0; i < count; i++)
        {
            while (!IsTradingMinute(time))
            {
                time += 60;
            }

            result[i] = NextMinute(random, time, close, out close);
            time += 60;
        }

        return result;
    }

    /// <summary>
    /// What a history feed sends for <paramref name="unique"/> trading minutes: times in Unix milliseconds, the
    /// series shuffled, <paramref name="duplicates"/> minutes sent a second time with a later volume and close (the
    /// later input wins) and <paramref name="invalid"/> candles with a zero, negative or NaN price or a negative
    /// volume. <paramref name="last"/> is the latest open time, in Unix seconds.
    /// </summary>
    public static RawCandle[] ShuffledFeed(int unique, int duplicates, int invalid, out long last)
    {
        var series = AscendingMinutes(unique);
        last = series[^1].OpenTime;
        var random = new Random(Seed + 1);
        var result = new List<RawCandle>(unique + duplicates + invalid);
        foreach (var candle in series)
        {
            result.Add(ToFeed(candle));
        }

        for (var i = 0; i < duplicates; i++)
        {
            var c = series[random.Next(series.Length)];
            var close = Math.Round(c.Close + (0.1 * random.Next(-3, 4)), 1);
            result.Add(new RawCandle(c.OpenTime * 1000, c.Open, Math.Max(c.High, close), Math.Min(c.Low, close), close, c.Volume + random.Next(1, 50)));
        }

        for (var i = 0; i < invalid; i++)
        {
            var c = ToFeed(series[random.Next(series.Length)]);
            result.Add((i % 4) switch
            {
                0 => c with { Close = 0 },
                1 => c with { Low = -c.Low },
                2 => c with { High = double.NaN },
                _ => c with { Volume = -1 },
            });
        }

        var array = result.ToArray();
        random.Shuffle(array);
        return array;
    }

    /// <summary>
    /// <paramref name="count"/> trades after a seed candle at <paramref name="firstMinuteSeconds"/> − 60 s: event
    /// times 0–120 ms apart (about 1,000 trades a minute, so one tick in a thousand opens a new minute), the price a
    /// ±0.1 random walk from the seed's close, sizes 1–5, and one tick in 20,000 a 25-point spike that the live
    /// rules reject.
    /// </summary>
    public static Tick[] Ticks(int count, out Candle seed, out long firstMinuteSeconds)
    {
        var random = new Random(Seed + 2);
        firstMinuteSeconds = StartSeconds + 600;
        seed = Candle.Create(firstMinuteSeconds - 60, 2030.0, 2030.5, 2029.5, StartPriceTenths / 10.0, 120);
        var result = new Tick[count];
        var timeMs = firstMinuteSeconds * 1000;
        var price = StartPriceTenths;
        for (var i = 0; i < count; i++)
        {
            timeMs += random.Next(0, 121);
            price += random.Next(-1, 2);
            var p = price / 10.0;
            if (random.Next(20_000) == 0)
            {
                p += 25;
            }

            result[i] = new Tick(timeMs, p, random.Next(1, 6));
        }

        return result;
    }

    private static RawCandle ToFeed(Candle c) => new(c.OpenTime * 1000, c.Open, c.High, c.Low, c.Close, c.Volume);

    private static Candle NextMinute(Random random, long time, long openTenths, out long closeTenths)
    {
        // A minute is about 60 ticks of the walk: close within ±2 points, wicks up to 1 point beyond the body.
        closeTenths = openTenths + random.Next(-20, 21);
        var high = Math.Max(openTenths, closeTenths) + random.Next(0, 11);
        var low = Math.Min(openTenths, closeTenths) - random.Next(0, 11);
        return Candle.Create(time, openTenths / 10.0, high / 10.0, low / 10.0, closeTenths / 10.0, random.Next(1, 500));
    }
}
