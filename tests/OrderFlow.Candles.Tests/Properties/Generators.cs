using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OrderFlow.Candles.Rules;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles.Tests.Properties;

/// <summary>Settings shared by every property in this folder.</summary>
public static class PropertySettings
{
    /// <summary>Every property runs this many cases.</summary>
    public const int MaxTest = 1000;

    /// <summary>The fixed "now" of every window: 2024-06-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary><see cref="Now"/> in Unix seconds.</summary>
    public static readonly long NowSeconds = Now.ToUnixTimeSeconds();

    /// <summary>The first second of the default 365-day window.</summary>
    public static readonly long WindowStart = NowSeconds - (long)TimeSpan.FromDays(365).TotalSeconds;

    /// <summary>The last second of the default window (now + 1 day of clock skew).</summary>
    public static readonly long WindowEnd = NowSeconds + (long)TimeSpan.FromDays(1).TotalSeconds;

    /// <summary>The CME Globex session alignment (17:00 America/Chicago).</summary>
    public static readonly CandleAlignment Cme = CandleAlignment.CmeGlobex();
}

/// <summary>A rule set with a short name for counterexample output.</summary>
/// <param name="Name">What differs from the seed.</param>
/// <param name="Rules">The rules.</param>
public sealed record NamedRules(string Name, CandleRules Rules)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Input of the normaliser properties: raw candles in source order.</summary>
public sealed record NormalizeInput(Timeframe Timeframe, NamedRules Rules, bool Cme, RawCandle[] Candles)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"tf={Timeframe} rules={Rules} alignment={(Cme ? "CME" : "UTC")} now={PropertySettings.NowSeconds} n={Candles.Length}{Describe.Items(Candles)}";
}

/// <summary>Raw candles with any numbers at all, for the never-throws properties.</summary>
public sealed record HostileNormalizeInput(Timeframe Timeframe, NamedRules Rules, bool Cme, RawCandle[] Candles)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"tf={Timeframe} rules={Rules} alignment={(Cme ? "CME" : "UTC")} n={Candles.Length}{Describe.Items(Candles)}";
}

/// <summary>Any "now", including ones before 1970 and after year 5138.</summary>
public readonly record struct AnyNow(DateTimeOffset Value)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:O} ({Value.ToUnixTimeSeconds()} s)");
}

/// <summary>An ascending series of valid candles of one timeframe.</summary>
public sealed record FineSeries(Timeframe Timeframe, bool Cme, Candle[] Candles)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"tf={Timeframe} alignment={(Cme ? "CME" : "UTC")} n={Candles.Length}{Describe.Items(Candles.Select(RawCandle.From).ToArray())}";
}

/// <summary>An ascending series of valid 1-minute candles with integer volumes.</summary>
public sealed record MinuteSeries(bool Cme, Candle[] Candles)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"1m alignment={(Cme ? "CME" : "UTC")} n={Candles.Length}{Describe.Items(Candles.Select(RawCandle.From).ToArray())}";
}

/// <summary>A sequence of live updates of fine candles (repeats, new ones, corrections, late ones).</summary>
public sealed record StreamingCase(Timeframe Source, Timeframe Target, bool Cme, Candle[] Updates)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Source}->{Target} alignment={(Cme ? "CME" : "UTC")} n={Updates.Length}{Describe.Items(Updates.Select(RawCandle.From).ToArray())}";
}

/// <summary>Ticks in time order (equal times allowed), for the resampling law.</summary>
public sealed record TickCase(Timeframe Fine, Timeframe Coarse, NamedRules Rules, bool Cme, Tick[] Ticks)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Fine}->{Coarse} rules={Rules} alignment={(Cme ? "CME" : "UTC")} n={Ticks.Length}{Describe.Items(Ticks)}";
}

/// <summary>One input of a live series: a tick or a live candle message.</summary>
public readonly record struct LiveInput(bool IsTick, Tick Tick, Candle Candle)
{
    /// <inheritdoc/>
    public override string ToString() =>
        IsTick ? $"tick {Tick}" : Candle.IsDefault ? "candle (default)" : $"candle {RawCandle.From(Candle)}";
}

/// <summary>Hostile input of the live series properties.</summary>
public sealed record LiveCase(Timeframe Timeframe, NamedRules Rules, bool Cme, LiveInput[] Inputs)
{
    /// <summary>The alignment, or null for UTC.</summary>
    public CandleAlignment? Alignment => Cme ? PropertySettings.Cme : null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"tf={Timeframe} rules={Rules} buffer={Rules.Rules.LiveBufferSize} alignment={(Cme ? "CME" : "UTC")} n={Inputs.Length}{Describe.Items(Inputs)}";
}

/// <summary>Any time in Unix seconds for which the floor is representable.</summary>
public readonly record struct AnySeconds(long Value);

/// <summary>A time in Unix seconds between 1971 and 2100.</summary>
public readonly record struct ModernSeconds(long Value);

/// <summary>Text that is a valid symbol.</summary>
public readonly record struct ValidSymbolText(string Value);

/// <summary>Text that is not a valid symbol.</summary>
public readonly record struct InvalidSymbolText(string Value)
{
    /// <inheritdoc/>
    public override string ToString() =>
        "\"" + string.Concat(Value.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";
}

/// <summary>Text that is not one of the six timeframe names.</summary>
public readonly record struct NonTimeframeText(string Value)
{
    /// <inheritdoc/>
    public override string ToString() =>
        "\"" + string.Concat(Value.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";
}

/// <summary>Formats generated inputs for counterexample output.</summary>
internal static class Describe
{
    public static string Items<T>(IReadOnlyList<T> items, int max = 120)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < items.Count && i < max; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n    [{i}] {items[i]}");
        }

        if (items.Count > max)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n    … {items.Count - max} more");
        }

        return sb.ToString();
    }
}

/// <summary>The FsCheck arbitraries for the OrderFlow.Candles properties.</summary>
public static class Arbitraries
{
    private static readonly double[] s_badPrices =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, -1, -2030.5, double.Epsilon, double.MaxValue, 1e-300];

    private static readonly double[] s_badVolumes =
        [-1, -0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, 0.25, 1e-300, Candle.MaxVolume, Candle.MaxVolume * 1.000001];

    /// <summary>Raw candle series for the normaliser.</summary>
    public static Arbitrary<NormalizeInput> NormalizeInputs() =>
        Arb.From(
            from tf in Gens.Timeframes
            from rules in HistoryRules
            from cme in Gens.Percent(20)
            from candles in RawSeries(tf)
            select new NormalizeInput(tf, rules, cme, candles),
            input => Shrink.Array(input.Candles).Select(c => input with { Candles = c }));

    /// <summary>Raw candles made of arbitrary numbers.</summary>
    public static Arbitrary<HostileNormalizeInput> HostileNormalizeInputs() =>
        Arb.From(
            from tf in Gens.Timeframes
            from rules in HistoryRules
            from cme in Gens.Percent(20)
            from n in Gens.Length
            from candles in Gen.ArrayOf(
                from time in Gens.AnyTime
                from o in Gens.AnyDouble
                from h in Gens.AnyDouble
                from l in Gens.AnyDouble
                from c in Gens.AnyDouble
                from v in Gens.AnyDouble
                select new RawCandle(time, o, h, l, c, v),
                n)
            select new HostileNormalizeInput(tf, rules, cme, candles),
            input => Shrink.Array(input.Candles).Select(c => input with { Candles = c }));

    private const long MinNow = -62_135_596_800;
    private const long MaxNow = 253_402_300_799;

    /// <summary>Any representable "now", edges included.</summary>
    public static Arbitrary<AnyNow> AnyNows() =>
        Arb.From(Gen.Frequency(
            (3, Gens.Long(946_684_800, 4_102_444_800)),
            (2, Gens.Long(-3 * 86_400, 3 * 86_400)),
            (2, Gens.Long(MinNow, MaxNow)),
            (1, Gens.Long(99_999_999_999 - (400L * 86_400), 99_999_999_999 + (400L * 86_400))),
            (1, Gens.Long(MaxNow - (800L * 86_400), MaxNow)),
            (1, Gen.Elements(MinNow, MaxNow, 0L, 99_999_999_999L)))
            .Select(s => new AnyNow(DateTimeOffset.FromUnixTimeSeconds(s))));

    /// <summary>Ascending fine series with integer volumes, for batch aggregation.</summary>
    public static Arbitrary<FineSeries> FineSeries() =>
        Arb.From(
            from tf in Gen.Frequency((8, Gen.Constant(Timeframe.OneMinute)), (1, Gen.Constant(Timeframe.FiveMinutes)), (1, Gen.Constant(Timeframe.FifteenMinutes)), (1, Gen.Constant(Timeframe.OneHour)), (1, Gen.Constant(Timeframe.FourHours)))
            from cme in Gens.Percent(25)
            from candles in FineCandles(tf)
            select new FineSeries(tf, cme, candles),
            series => Shrink.Array(series.Candles).Select(c => series with { Candles = c }));

    /// <summary>Ascending 1-minute series with integer volumes, long enough to fill several days.</summary>
    public static Arbitrary<MinuteSeries> MinuteSeries() =>
        Arb.From(
            from cme in Gens.Percent(25)
            from candles in FineCandles(Timeframe.OneMinute)
            select new MinuteSeries(cme, candles),
            series => Shrink.Array(series.Candles).Select(c => series with { Candles = c }));

    /// <summary>Sequences of fine candle updates for the streaming aggregator.</summary>
    public static Arbitrary<StreamingCase> StreamingCases() =>
        Arb.From(
            from pair in Gens.TimeframePairs(allowEqual: true)
            from cme in Gens.Percent(25)
            from fractional in Gens.Percent(50)
            from updates in Updates(pair.Fine, pair.Coarse, fractional)
            select new StreamingCase(pair.Fine, pair.Coarse, cme, updates),
            c => Shrink.Array(c.Updates).Select(u => c with { Updates = u }));

    /// <summary>Ticks in time order, on 1m and 5m or on a random pair of timeframes.</summary>
    public static Arbitrary<TickCase> TickCases() =>
        Arb.From(
            from pair in Gen.Frequency(
                (3, Gen.Constant((Fine: Timeframe.OneMinute, Coarse: Timeframe.FiveMinutes))),
                (2, Gens.TimeframePairs(allowEqual: false)))
            from rules in TickRules
            from cme in Gens.Percent(25)
            from ticks in OrderedTicks
            select new TickCase(pair.Fine, pair.Coarse, rules, cme, ticks),
            c => Shrink.Array(c.Ticks).Select(t => c with { Ticks = t }));

    /// <summary>Hostile tick and candle streams for the live series.</summary>
    public static Arbitrary<LiveCase> LiveCases() =>
        Arb.From(
            from tf in Gens.Timeframes
            from rules in LiveRules
            from cme in Gens.Percent(20)
            from inputs in LiveInputs(tf)
            select new LiveCase(tf, rules, cme, inputs),
            c => Shrink.Array(c.Inputs).Select(i => c with { Inputs = i }));

    /// <summary>The six timeframes.</summary>
    public static Arbitrary<Timeframe> Timeframes() => Arb.From(Gens.Timeframes);

    /// <summary>Times whose floor is representable, with the edges well covered.</summary>
    public static Arbitrary<AnySeconds> AnySeconds() =>
        Arb.From(Gen.Frequency(
            (4, Gens.Long(-1_000_000_000_000, 1_000_000_000_000)),
            (3, Gens.Long(UnixTime.MinSeconds, UnixTime.MaxSeconds)),
            (3, Gen.Choose(-200_000, 200_000).Select(i => (long)i)),
            (1, Gens.Long(long.MaxValue - 1_000_000, long.MaxValue)),
            (1, Gens.Long(long.MinValue + 86_400, long.MinValue + 1_000_000)))
            .Select(v => new AnySeconds(v)));

    /// <summary>Times between 1971 and 2100, with DST changes well covered.</summary>
    public static Arbitrary<ModernSeconds> ModernSeconds() =>
        Arb.From(Gen.Frequency(
            (3, Gens.Long(31_536_000, 4_102_444_800)),
            (2, Gens.Long(PropertySettings.WindowStart, PropertySettings.WindowEnd)),
            // Around the 2024 US daylight-saving changes (10 March, 3 November) and a CME session start.
            (2, Gens.Long(1_710_000_000, 1_710_200_000)),
            (2, Gens.Long(1_730_500_000, 1_730_800_000)))
            .Select(v => new ModernSeconds(v)));

    /// <summary>Valid symbols: 1 to 20 of A–Z 0–9 . _ -, starting with a letter or digit.</summary>
    public static Arbitrary<ValidSymbolText> ValidSymbols() =>
        Arb.From(Gens.ValidSymbol.Select(s => new ValidSymbolText(s)));

    /// <summary>Text that breaks exactly one symbol rule, or random junk.</summary>
    public static Arbitrary<InvalidSymbolText> InvalidSymbols() =>
        Arb.From(
            Gen.Frequency(
                (1, Gen.Constant(string.Empty)),
                (2, Gen.Choose(Symbol.MaxLength + 1, 40).SelectMany(n => Gen.ArrayOf(Gen.Elements(Gens.SymbolChars.ToCharArray()), n)).Select(c => new string(c))),
                (2, Gens.ValidSymbol.SelectMany(s => Gen.Elements('.', '_', '-'), (s, c) => c + s[Math.Min(1, s.Length - 1)..]).Where(s => s.Length <= Symbol.MaxLength)),
                (6, from s in Gens.ValidSymbol
                    from bad in Gen.Elements("abcxyzé:* \t\n\0/#@!+=,;~ÄıＡ１\u212A\u0130\u00A0\uD800\u200B$%^&()[]{}<>?\"'\\|".ToCharArray())
                    from at in Gen.Choose(0, s.Length)
                    select Truncate(s.Insert(at, bad.ToString()), at)),
                (1, Gens.ValidSymbol.Select(s => s.ToLowerInvariant()).Where(s => s.Any(char.IsAsciiLetterLower))))
            .Where(s => !Gens.IsValidSymbol(s))
            .Select(s => new InvalidSymbolText(s)));

    /// <summary>Near-misses of the timeframe names, and junk.</summary>
    public static Arbitrary<NonTimeframeText> NonTimeframes() =>
        Arb.From(
            Gen.Frequency(
                (3, Gen.Elements("", "1M", "1H", "1D", "01m", " 1m", "1m ", "60s", "1min", "15", "m", "2h", "1w", "3m", "30m", "１m", "1\0m", "15M", "4H", "1d\n", "1 m", "1mm", "5", "h")),
                (4, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements("0145mhdMHDs \u0661".ToCharArray()), n)).Select(c => new string(c))),
                (1, Gens.Timeframes.SelectMany(tf => Gen.Elements("x", " ", "0", "\u0301"), (tf, extra) => tf.Name + extra)))
            .Where(s => s is not ("1m" or "5m" or "15m" or "1h" or "4h" or "1d"))
            .Select(s => new NonTimeframeText(s)));

    /// <summary>Keeps the inserted character at <paramref name="at"/> when cutting to the maximum length.</summary>
    private static string Truncate(string s, int at) =>
        s.Length <= Symbol.MaxLength ? s : at < Symbol.MaxLength ? s[..Symbol.MaxLength] : s[(s.Length - Symbol.MaxLength)..];

    private static Gen<NamedRules> HistoryRules =>
        from history in Gen.Elements(RuleSet.Continuity, RuleSet.Continuity | RuleSet.WickClamp, RuleSet.None, RuleSet.WickClamp, RuleSet.All, RuleSet.Continuity | RuleSet.SpikeRejection)
        from wick in Gen.Frequency((4, Gen.Constant(10.0)), (1, Gen.Elements(0.0, 2.5, 0.1)))
        from gap in Gen.Frequency((4, Gen.Constant(TimeSpan.FromHours(10))), (1, Gen.Elements(TimeSpan.Zero, TimeSpan.FromMinutes(90), TimeSpan.FromDays(2))))
        from move in Gen.Frequency((3, Gen.Constant(15.0)), (1, Gen.Elements(1.0, 100.0)))
        from recovery in Gen.Elements(3, 0, 1)
        select new NamedRules(
            string.Create(CultureInfo.InvariantCulture, $"History={history} MaxWick={wick} ContinuityGap={gap} MaxPriceMove={move} SpikeRecoveryCount={recovery}"),
            CandleRules.Seed with { History = history, MaxWick = wick, ContinuityGap = gap, MaxPriceMove = move, SpikeRecoveryCount = recovery });

    private static Gen<NamedRules> TickRules =>
        from live in Gen.Elements(RuleSet.Continuity, RuleSet.None, RuleSet.SpikeRejection, RuleSet.Continuity | RuleSet.SpikeRejection)
        from move in Gen.Elements(15.0, 5.0, 50.0, double.PositiveInfinity)
        from gap in Gen.Elements(TimeSpan.FromHours(10), TimeSpan.FromMinutes(2), TimeSpan.Zero)
        from recovery in Gen.Elements(3, 0, 1)
        select new NamedRules(
            string.Create(CultureInfo.InvariantCulture, $"Live={live} MaxPriceMove={move} ContinuityGap={gap} SpikeRecoveryCount={recovery}"),
            CandleRules.Seed with { Live = live, MaxPriceMove = move, ContinuityGap = gap, SpikeRecoveryCount = recovery });

    private static Gen<NamedRules> LiveRules =>
        from live in Gen.Choose(0, 7).Select(i => (RuleSet)i)
        from move in Gen.Elements(15.0, 1.0, 50.0, double.PositiveInfinity)
        from wick in Gen.Elements(10.0, 0.0, 2.5, double.PositiveInfinity)
        from gap in Gen.Elements(TimeSpan.FromHours(10), TimeSpan.FromMinutes(1), TimeSpan.Zero)
        from recovery in Gen.Elements(3, 0, 1)
        from buffer in Gen.Elements(1, 2, 3, 5, 10, 50)
        select new NamedRules(
            string.Create(CultureInfo.InvariantCulture, $"Live={live} MaxPriceMove={move} MaxWick={wick} ContinuityGap={gap} SpikeRecoveryCount={recovery} LiveBufferSize={buffer}"),
            CandleRules.Seed with { Live = live, MaxPriceMove = move, MaxWick = wick, ContinuityGap = gap, SpikeRecoveryCount = recovery, LiveBufferSize = buffer });

    // ---- raw candles for the normaliser ----

    private static Gen<RawCandle[]> RawSeries(Timeframe tf) =>
        from start in Gen.Frequency(
            (6, Gens.Long(PropertySettings.WindowStart - (2 * 86_400), PropertySettings.WindowEnd)),
            (3, Gens.Long(PropertySettings.WindowStart - (10L * tf.Seconds), PropertySettings.WindowStart + (10L * tf.Seconds))),
            (1, Gens.Long(PropertySettings.WindowEnd - (10L * tf.Seconds), PropertySettings.WindowEnd + (10L * tf.Seconds))),
            (1, Gens.Long(PropertySettings.WindowStart - (60L * 86_400), PropertySettings.WindowStart)))
        from price in Gens.StartPrice
        from n in Gens.Length
        from steps in Gen.ArrayOf(RawStepGen(tf.Seconds), n)
        from arranged in Arrange(BuildRaw(start, price, steps))
        select arranged;

    private readonly record struct RawStep(
        long StepSeconds, int Offset, int MillisPart, bool Millis, double Move, double Body, double WickHigh, double WickLow,
        int Shape, int CorruptField, double CorruptValue, double Volume, long? SpecialTime);

    private static Gen<RawStep> RawStepGen(int tf) =>
        from step in Gen.Frequency(
            (6, Gen.Constant(0L)),
            (30, Gen.Constant((long)tf)),
            (10, Gen.Choose(2, 10).Select(k => (long)k * tf)),
            (4, Gen.Elements(36_000L, 36_000L + tf, 36_000L + (2L * tf), 35_940L + tf)),
            (5, Gen.Choose(1, 14).Select(h => h * 3_600L)),
            (3, Gen.Choose(1, 6).Select(d => d * 86_400L)),
            (2, Gen.Choose(1, 3).Select(w => w * 7 * 86_400L)),
            (3, Gen.Choose(-5, -1).Select(k => (long)k * tf)))
        from offset in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(0, tf - 1)))
        from millisPart in Gen.Choose(0, 999)
        from millis in Gens.Percent(15)
        from move in Gens.PriceMove
        from body in Gen.Choose(-80, 80).Select(i => i / 10.0)
        from wickHigh in Gens.Wick
        from wickLow in Gens.Wick
        from shape in Gen.Choose(0, 99)
        from corruptField in Gen.Frequency((90, Gen.Constant(-1)), (10, Gen.Choose(0, 4)))
        from corruptValue in Gen.Elements(s_badPrices)
        from badVolume in Gen.Elements(s_badVolumes)
        from volume in Gen.Choose(0, 5_000).Select(v => (double)v)
        from special in Gen.Frequency((95, Gen.Constant((long?)null)), (5, Gen.Elements(Gens.SpecialCandleTimes).Select(t => (long?)t)))
        select new RawStep(step, offset, millisPart, millis, move, body, wickHigh, wickLow, shape, corruptField, corruptField == 4 ? badVolume : corruptValue, volume, special);

    private static RawCandle[] BuildRaw(long start, double startPrice, RawStep[] steps)
    {
        var t = start;
        var p = startPrice;
        var result = new RawCandle[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            t += s.StepSeconds;
            p = Gens.NextPrice(p, s.Move);
            var open = p;
            var close = Math.Max(0.1, Gens.Round1(open + s.Body));
            var high = Gens.Round1(Math.Max(open, close) + s.WickHigh);
            var low = Gens.Round1(Math.Min(open, close) - s.WickLow);
            if (low <= 0)
            {
                low = Math.Min(open, close);
            }

            if (s.Shape < 8)
            {
                (high, low) = (low, high);
            }
            else if (s.Shape < 12)
            {
                (open, high) = (high, open);
            }

            p = close;
            var volume = s.Volume;
            switch (s.CorruptField)
            {
                case 0: open = s.CorruptValue; break;
                case 1: high = s.CorruptValue; break;
                case 2: low = s.CorruptValue; break;
                case 3: close = s.CorruptValue; break;
                case 4: volume = s.CorruptValue; break;
                default: break;
            }

            var seconds = t + s.Offset;
            var time = s.SpecialTime ?? (s.Millis ? (seconds * 1000) + s.MillisPart : seconds);
            result[i] = new RawCandle(time, open, high, low, close, volume);
        }

        return result;
    }

    private static Gen<T[]> Arrange<T>(T[] items)
    {
        if (items.Length < 2)
        {
            return Gen.Constant(items);
        }

        return Gen.Choose(0, 99).SelectMany(mode => mode switch
        {
            < 60 => Gen.Constant(items),
            < 85 => Gen.Choose(1, 6).SelectMany(k => Gen.ArrayOf(Gen.Choose(0, items.Length - 1), 2 * k)).Select(swaps =>
            {
                var copy = (T[])items.Clone();
                for (var i = 0; i + 1 < swaps.Length; i += 2)
                {
                    (copy[swaps[i]], copy[swaps[i + 1]]) = (copy[swaps[i + 1]], copy[swaps[i]]);
                }

                return copy;
            }),
            _ => Gen.Shuffle(items),
        });
    }

    // ---- fine candles for aggregation ----

    private readonly record struct FineStep(long Units, double Move, double Body, double WickHigh, double WickLow, double Volume);

    private static Gen<FineStep> FineStepGen(Timeframe tf, bool fractional) =>
        from seconds in Gen.Frequency(
            (60, Gen.Constant((long)tf.Seconds)),
            (15, Gen.Choose(2, 5).Select(k => (long)k * tf.Seconds)),
            (8, Gen.Choose(6, 60).Select(k => (long)k * tf.Seconds)),
            (5, Gen.Choose(1, 14).Select(h => h * 3_600L)),
            (4, Gen.Choose(1, 6).Select(d => d * 86_400L)),
            (2, Gen.Choose(1, 3).Select(w => w * 7 * 86_400L)))
        from move in Gens.PriceMove
        from body in Gen.Choose(-80, 80).Select(i => i / 10.0)
        from wickHigh in Gens.Wick
        from wickLow in Gens.Wick
        from volume in fractional ? Gen.Choose(0, 1_000_000).Select(v => v / 100.0) : Gen.Choose(0, 5_000).Select(v => (double)v)
        select new FineStep(Math.Max(1, seconds / tf.Seconds), move, body, wickHigh, wickLow, volume);

    private static Gen<Candle[]> FineCandles(Timeframe tf) =>
        from start in Gens.StartSeconds
        from price in Gens.StartPrice
        from n in Gens.Length
        from steps in Gen.ArrayOf(FineStepGen(tf, fractional: false), n)
        select BuildFine(tf.Floor(start), tf, price, steps);

    private static Candle[] BuildFine(long start, Timeframe tf, double startPrice, FineStep[] steps)
    {
        var t = start;
        var p = startPrice;
        var result = new Candle[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            t += s.Units * tf.Seconds;
            p = Gens.NextPrice(p, s.Move);
            result[i] = Gens.ValidCandle(t, p, s.Body, s.WickHigh, s.WickLow, s.Volume);
            p = result[i].Close;
        }

        return result;
    }

    // ---- streaming updates ----

    private readonly record struct UpdateStep(long Delta, double Move, double Body, double WickHigh, double WickLow, double Volume);

    private static Gen<Candle[]> Updates(Timeframe source, Timeframe target, bool fractional)
    {
        var ratio = target.Seconds / source.Seconds;
        var step =
            from delta in Gen.Frequency(
                (25, Gen.Constant(0L)),
                (35, Gen.Constant(1L)),
                (8, Gen.Choose(2, 5).Select(k => (long)k)),
                (4, Gen.Choose(1, 14).Select(h => h * 3_600L / source.Seconds)),
                (2, Gen.Choose(1, 8).Select(d => d * 86_400L / source.Seconds)),
                (15, Gen.Choose(-5, -1).Select(k => (long)k)),
                (8, Gen.Choose(-(ratio + 5), -1).Select(k => (long)k)))
            from move in Gens.PriceMove
            from body in Gen.Choose(-80, 80).Select(i => i / 10.0)
            from wickHigh in Gens.Wick
            from wickLow in Gens.Wick
            from volume in fractional ? Gen.Choose(0, 1_000_000).Select(v => v / 100.0) : Gen.Choose(0, 5_000).Select(v => (double)v)
            select new UpdateStep(delta, move, body, wickHigh, wickLow, volume);
        return
            from start in Gens.StartSeconds
            from price in Gens.StartPrice
            from n in Gens.Length
            from steps in Gen.ArrayOf(step, n)
            select BuildUpdates(source.Floor(start), source, price, steps);
    }

    private static Candle[] BuildUpdates(long start, Timeframe source, double startPrice, UpdateStep[] steps)
    {
        var max = start;
        var p = startPrice;
        var result = new Candle[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var t = max + (s.Delta * source.Seconds);
            max = Math.Max(max, t);
            p = Gens.NextPrice(p, s.Move);
            result[i] = Gens.ValidCandle(t, p, s.Body, s.WickHigh, s.WickLow, s.Volume);
        }

        return result;
    }

    // ---- ticks ----

    private readonly record struct TickStep(long DeltaMs, double Move, int Kind, double Outlier, double Size);

    private static Gen<Tick[]> OrderedTicks =>
        from startMs in Gens.Long(PropertySettings.WindowStart * 1000, PropertySettings.NowSeconds * 1000)
        from price in Gens.StartPrice
        from n in Gen.Sized(size => Gen.Frequency((9, Gen.Choose(0, (3 * size) + 1)), (1, Gen.Choose(200, 800))))
        from steps in Gen.ArrayOf(
            from delta in Gen.Frequency(
                (20, Gen.Choose(0, 999).Select(i => (long)i)),
                (30, Gen.Choose(1_000, 20_000).Select(i => (long)i)),
                (15, Gen.Choose(20_000, 120_000).Select(i => (long)i)),
                (6, Gen.Choose(2, 20).Select(m => m * 60_000L)),
                (2, Gen.Choose(1, 14).Select(h => h * 3_600_000L)),
                (1, Gen.Choose(1, 3).Select(d => d * 86_400_000L)))
            from move in Gens.PriceMove
            from kind in Gen.Choose(0, 99)
            from outlier in Gen.Choose(150, 3_000).SelectMany(m => Gen.Elements(-1, 1), (m, sign) => sign * m / 10.0)
            from size in Gen.Choose(0, 20).Select(v => (double)v)
            select new TickStep(delta, move, kind, outlier, size),
            n)
        select BuildTicks(startMs, price, steps);

    private static Tick[] BuildTicks(long startMs, double startPrice, TickStep[] steps)
    {
        var t = startMs;
        var p = startPrice;
        var result = new Tick[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            t += s.DeltaMs;
            p = Gens.NextPrice(p, s.Move);
            result[i] = s.Kind switch
            {
                < 5 => new Tick(t, Math.Max(0.1, Gens.Round1(p + s.Outlier)), s.Size), // a one-off outlier
                5 => new Tick(t, double.NaN, s.Size),
                6 => new Tick(t, -p, s.Size),
                7 => new Tick(t, p, -1),
                8 => new Tick(t, double.PositiveInfinity, s.Size),
                _ => new Tick(t, p, s.Size),
            };
        }

        return result;
    }

    // ---- hostile live inputs ----

    private readonly record struct LiveStep(
        long DeltaMs, long? SpecialTime, double Move, int PriceKind, double SpecialPrice, int SizeKind, double Size, double SpecialSize,
        int Kind, int CandleOffset, double Body, double WickHigh, double WickLow);

    private static Gen<LiveInput[]> LiveInputs(Timeframe tf) =>
        from startMs in Gens.Long(PropertySettings.WindowStart * 1000, PropertySettings.NowSeconds * 1000)
        from price in Gens.StartPrice
        from hugeSizes in Gens.Percent(10)
        from n in Gens.Length
        from steps in Gen.ArrayOf(
            from delta in Gen.Frequency(
                (30, Gen.Choose(0, 2_000).Select(i => (long)i)),
                (20, Gen.Choose(2_000, 60_000).Select(i => (long)i)),
                (10, Gen.Choose(1, 10).Select(m => m * 60_000L)),
                (3, Gen.Choose(1, 14).Select(h => h * 3_600_000L)),
                (1, Gen.Choose(1, 3).Select(d => d * 86_400_000L)),
                (10, Gen.Choose(-600_000, -1).Select(i => (long)i)),
                (3, Gen.Choose(1, 14).Select(h => h * -3_600_000L)))
            from special in Gen.Frequency((96, Gen.Constant((long?)null)), (4, Gen.Elements(Gens.SpecialTickTimes).Select(t => (long?)t)))
            from move in Gens.PriceMove
            from priceKind in Gen.Choose(0, 99)
            from specialPrice in Gen.Elements(s_badPrices)
            from sizeKind in Gen.Choose(0, 99)
            from size in Gen.Choose(0, 20).Select(v => (double)v)
            from specialSize in Gen.Elements(s_badVolumes)
            from kind in Gen.Choose(0, 99)
            from candleOffset in Gen.Choose(-6, 2)
            from body in Gen.Choose(-80, 80).Select(i => i / 10.0)
            from wickHigh in Gens.Wick
            from wickLow in Gens.Wick
            select new LiveStep(delta, special, move, priceKind, specialPrice, sizeKind, size, specialSize, kind, candleOffset, body, wickHigh, wickLow),
            n)
        select BuildLive(startMs, tf, price, steps, hugeSizes);

    private static LiveInput[] BuildLive(long startMs, Timeframe tf, double startPrice, LiveStep[] steps, bool hugeSizes)
    {
        var t = startMs;
        var p = startPrice;
        var result = new LiveInput[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            t = Math.Max(0, t + s.DeltaMs);
            p = Gens.NextPrice(p, s.Move);
            if (s.Kind < 12)
            {
                var openTime = tf.Floor(t / 1000) + ((long)s.CandleOffset * tf.Seconds);
                var candle = s.Kind switch
                {
                    0 => default,
                    1 => Gens.ValidCandle(UnixTime.MaxMilliseconds, p, s.Body, s.WickHigh, s.WickLow, s.Size),
                    2 => Gens.ValidCandle(0, p, s.Body, s.WickHigh, s.WickLow, s.Size),
                    _ => Gens.ValidCandle(Math.Max(0, openTime), p, s.Body, s.WickHigh, s.WickLow, s.Size),
                };
                result[i] = new LiveInput(false, default, candle);
                continue;
            }

            var price = s.PriceKind < 5 ? s.SpecialPrice : s.PriceKind < 10 ? Math.Max(0.1, Gens.Round1(p + (s.Move * 20))) : p;
            // The largest valid size, on every tick: sums must stay finite.
            var size = s.SizeKind < 4 ? s.SpecialSize : hugeSizes ? Candle.MaxVolume : s.Size;
            result[i] = new LiveInput(true, new Tick(s.SpecialTime ?? t, price, size), default);
        }

        return result;
    }
}

/// <summary>Small generator building blocks.</summary>
internal static class Gens
{
    public const string SymbolChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    public const string SymbolFirstChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Edge times of <see cref="UnixTime"/> and of the default window.</summary>
    public static readonly long[] SpecialCandleTimes =
    [
        long.MinValue, -1, 0, 1, UnixTime.MaxSeconds, UnixTime.MillisecondsThreshold - 1, UnixTime.MillisecondsThreshold,
        99_999_999_999_999, UnixTime.MaxMilliseconds, UnixTime.MaxMilliseconds + 1, long.MaxValue,
        (PropertySettings.WindowStart * 1000) - 1, PropertySettings.WindowStart * 1000, PropertySettings.WindowStart - 1,
        PropertySettings.WindowStart, PropertySettings.WindowEnd, PropertySettings.WindowEnd + 1,
        (PropertySettings.WindowEnd * 1000) + 999, (PropertySettings.WindowEnd + 1) * 1000,
    ];

    /// <summary>Every edge of <see cref="UnixTime"/>, including milliseconds up to year 9999.</summary>
    public static readonly long[] HostileCandleTimes =
    [
        .. SpecialCandleTimes, UnixTime.MaxMilliseconds - 3_600_000, UnixTime.MaxMilliseconds - 86_400_000, UnixTime.MaxSeconds, UnixTime.MaxSeconds + 1,
    ];

    public static readonly long[] SpecialTickTimes =
    [
        long.MinValue, -1, 0, 1, 999, UnixTime.MillisecondsThreshold, UnixTime.MaxSeconds * 1000,
        (UnixTime.MaxSeconds * 1000) + 999, 100_000_000_000_000, 200_000_000_000_000,
        UnixTime.MaxMilliseconds, UnixTime.MaxMilliseconds + 1, long.MaxValue,
    ];

    /// <summary>Any long, with the unit and range edges of <see cref="UnixTime"/> well covered.</summary>
    public static Gen<long> AnyTime => Gen.Frequency(
        (3, Gen.Elements(HostileCandleTimes)),
        (2, Long(-1_000_000_000_000_000, 1_000_000_000_000_000)),
        (4, Long(PropertySettings.WindowStart - 1_000_000, PropertySettings.WindowEnd + 1_000_000)),
        (2, Long((PropertySettings.WindowStart - 1_000_000) * 1000, (PropertySettings.WindowEnd + 1_000_000) * 1000)),
        (1, Long(0, UnixTime.MaxMilliseconds)));

    /// <summary>Any double, special values well covered.</summary>
    public static Gen<double> AnyDouble => Gen.Frequency(
        (3, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue, -double.MaxValue, 1e-300, 1e300, -1.0)),
        (5, Gen.Choose(-1_000, 100_000).Select(i => i / 10.0)));

    public static Gen<Timeframe> Timeframes => Gen.Elements(Timeframe.All.ToArray());

    /// <summary>Pairs (fine, coarse) where fine divides coarse.</summary>
    public static Gen<(Timeframe Fine, Timeframe Coarse)> TimeframePairs(bool allowEqual)
    {
        var pairs = (from f in Timeframe.All
                     from c in Timeframe.All
                     where f.Divides(c) && (allowEqual ? f <= c : f < c)
                     select (f, c)).ToArray();
        var common = new[] { (Timeframe.OneMinute, Timeframe.FiveMinutes), (Timeframe.OneMinute, Timeframe.FifteenMinutes), (Timeframe.OneMinute, Timeframe.OneHour) };
        return Gen.Frequency((2, Gen.Elements(common)), (3, Gen.Elements(pairs)));
    }

    public static Gen<bool> Percent(int percent) => Gen.Choose(0, 99).Select(i => i < percent);

    /// <summary>A uniform long in [lo, hi]; the range must be below 2^62.</summary>
    public static Gen<long> Long(long lo, long hi)
    {
        var span = (ulong)(hi - lo) + 1;
        return Gen.Choose(0, int.MaxValue).SelectMany(_ => Gen.Choose(0, int.MaxValue), (a, b) => lo + (long)((((ulong)(uint)a << 31) | (uint)b) % span));
    }

    /// <summary>
    /// A start time for ascending series: anywhere in 2017–2030, or in the hours before the last bucket of a CME
    /// session that has a daylight-saving change (25 h in November, 23 h in March: a longer or shorter last bucket).
    /// </summary>
    public static Gen<long> StartSeconds => Gen.Frequency(
        (3, Long(1_500_000_000, 1_900_000_000)),
        (1, Gen.Elements(1_730_656_800L, 1_710_097_200L, 1_699_207_200L, 1_678_647_600L).SelectMany(t => Long(t - (8 * 3_600), t + (6 * 3_600)))));

    public static Gen<int> Length => Gen.Sized(size => Gen.Frequency((19, Gen.Choose(0, size + 1)), (1, Gen.Choose(200, 1_000))));

    public static Gen<double> StartPrice => Gen.Frequency((4, Gen.Choose(15_000, 30_000)), (1, Gen.Choose(10, 200_000))).Select(i => i / 10.0);

    /// <summary>Mostly small moves; sometimes a jump well beyond the spike limits.</summary>
    public static Gen<double> PriceMove => Gen.Frequency(
        (80, Gen.Choose(-50, 50).Select(i => i / 10.0)),
        (8, Gen.Choose(150, 3_000).SelectMany(m => Gen.Elements(-1, 1), (m, sign) => sign * m / 10.0)),
        (12, Gen.Constant(0.0)));

    /// <summary>Wick lengths around the seed's 10-point limit.</summary>
    public static Gen<double> Wick => Gen.Frequency(
        (50, Gen.Choose(0, 30)),
        (35, Gen.Choose(0, 150)),
        (15, Gen.Choose(100, 400))).Select(i => i / 10.0);

    public static Gen<string> ValidSymbol =>
        from length in Gen.Frequency((3, Gen.Choose(1, 4)), (1, Gen.Choose(1, Symbol.MaxLength)))
        from first in Gen.Elements(SymbolFirstChars.ToCharArray())
        from rest in Gen.ArrayOf(Gen.Elements(SymbolChars.ToCharArray()), length - 1)
        select first + new string(rest);

    public static bool IsValidSymbol(string s) =>
        s.Length is > 0 and <= Symbol.MaxLength
        && SymbolFirstChars.Contains(s[0], StringComparison.Ordinal)
        && s.All(c => SymbolChars.Contains(c, StringComparison.Ordinal));

    public static double Round1(double x) => Math.Round(x * 10) / 10;

    public static double NextPrice(double price, double move)
    {
        var next = Round1(price + move);
        return next < 1 ? Round1(1 + Math.Abs(move)) : next;
    }

    public static Candle ValidCandle(long openTime, double open, double body, double wickHigh, double wickLow, double volume)
    {
        var close = Math.Max(0.1, Round1(open + body));
        var high = Round1(Math.Max(open, close) + wickHigh);
        var low = Math.Max(0.05, Round1(Math.Min(open, close) - wickLow));
        return Candle.Create(openTime, open, high, Math.Min(low, Math.Min(open, close)), close, volume);
    }
}

/// <summary>Shrinkers: drop elements so counterexamples get short.</summary>
internal static class Shrink
{
    public static IEnumerable<T[]> Array<T>(T[] items)
    {
        if (items.Length == 0)
        {
            yield break;
        }

        yield return [];
        if (items.Length > 1)
        {
            var half = items.Length / 2;
            yield return items[..half];
            yield return items[half..];
        }

        if (items.Length > 8)
        {
            var quarter = items.Length / 4;
            yield return [.. items[..quarter], .. items[(2 * quarter)..]];
            yield return [.. items[..(2 * quarter)], .. items[(3 * quarter)..]];
        }

        for (var i = 0; i < items.Length; i++)
        {
            yield return [.. items[..i], .. items[(i + 1)..]];
        }
    }
}
