using System.Globalization;
using BenchmarkDotNet.Attributes;
using OrderFlow.Benchmarks.Candles;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Serialization;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using StackExchange.Redis;

namespace OrderFlow.Benchmarks.Redis;

/// <summary>
/// One chart-sync pass of the sync worker over its 30 charts (GC SI CL ES NQ × 1m 5m 15m 1h 4h 1d) into a real
/// <c>redis-server</c> on loopback, at the seed's depths (<see cref="HistoryDepth.DefaultBars"/>, the defaults of
/// <c>CandleSyncOptions</c> and <c>samples/OrderFlow.SyncWorker/appsettings.json</c>: 100,000 / 50,000 / 35,000 /
/// 8,760 / 2,200 / 365 bars, unscaled; ~131 MB of JSON for the 30 charts, with order flow, as the worker stores them).
/// Each benchmark operation is one pass: the 30 charts, one after another, each awaited, as <c>ChartWriter</c> does.
/// </summary>
/// <remarks>
/// <para>
/// <b>The change of a pass</b> (every chart, every pass): the last bar is updated (its partial form becomes final), a
/// new partial bar is appended and the oldest bar is dropped, so the chart keeps its depth. Every chart is a window
/// over a longer generated series that moves one bar per pass, so every call writes something new; the store sees
/// exactly what the worker hands it. <see cref="WholeCharts"/> (the baseline, what the worker did before #16) saves
/// each chart whole; <see cref="ChangedTails"/> sends the same changes through
/// <see cref="RedisChartStore.SaveChartChangesAsync"/> (the two changed candles and the blanked oldest one, one
/// <c>EVALSHA</c> per chart) and, when the store answers false, saves the chart whole as the worker does;
/// <see cref="UnchangedTouch"/> is a pass over 30 unchanged charts (<see cref="RedisChartStore.TouchChartAsync"/>,
/// a TTL refresh each).
/// </para>
/// <para>
/// The changes of a pass are the same for every pass of a chart (one dropped, the first change at depth − 2), so
/// <see cref="ChartChanges.Between"/> is computed once per chart in <c>GlobalSetup</c>, on two consecutive states,
/// outside the measured part. Because every chart here drops a bar on every pass (the worst case: the real 1h chart
/// drops one an hour), the blanked bytes grow, and the store compacts a value (answers false, so it is written whole)
/// once they pass 4 KB and an eighth of it: the 1d charts about every 55 passes (9 times each in the 510 passes of its
/// <c>GlobalSetup</c>), the 4h charts about every 275, the 1h about every 1,100; those whole writes are part of
/// <see cref="ChangedTails"/>'s time and allocation, and counted in the <c>// SYNCPASS</c> lines.
/// </para>
/// <para>
/// <b>Bytes:</b> <c>GlobalSetup</c> measures what Redis received per pass (<c>INFO stats</c>
/// <c>total_net_input_bytes</c> around a few passes, outside the timed runs, the INFO calls' own bytes subtracted) and
/// prints <c>// SYNCPASS</c> lines; <see cref="ChangedTails"/> also over 500 passes, the compactions included. Every
/// chart is checked against its expected candles (GET, <see cref="CandleJsonReader.ReadArray"/>) after the first pass,
/// after the byte measurement and in <c>GlobalCleanup</c> after all timed passes. Each method runs in its own process
/// with its own redis-server.
/// </para>
/// </remarks>
[MemoryDiagnoser]
public class ChartSyncPassBenchmarks
{
    /// <summary>Bars generated beyond a chart's depth: how many passes the windows can move before they wrap.</summary>
    private const int Headroom = 20_000;

    private static readonly Symbol[] Symbols = [Symbol.GC, Symbol.SI, Symbol.CL, Symbol.ES, Symbol.NQ];

    private ChartStoreBench _redis = null!;
    private SyncChart[] _charts = [];
    private long _wholeFallbacks;
    private long _touchMisses;
    private long _passes;

    /// <summary>Setup of <see cref="WholeCharts"/>: the charts written whole, the bytes of a few passes.</summary>
    [GlobalSetup(Target = nameof(WholeCharts))]
    public async Task SetupWhole()
    {
        await StartAsync();
        await MeasureAsync(nameof(WholeCharts), WholeCharts, passes: 3);
        await VerifyAllAsync("after the measured WholeCharts passes");
    }

    /// <summary>Setup of <see cref="ChangedTails"/>: one checked pass, the bytes of 10 and of 500 passes.</summary>
    [GlobalSetup(Target = nameof(ChangedTails))]
    public async Task SetupChanged()
    {
        await StartAsync();
        foreach (var chart in _charts)
        {
            chart.CheckChanges();
        }

        await ChangedTails();
        if (_wholeFallbacks != 0)
        {
            throw new InvalidOperationException($"The first ChangedTails pass fell back to {_wholeFallbacks} whole writes; expected none.");
        }

        await VerifyAllAsync("after one ChangedTails pass");
        await MeasureAsync(nameof(ChangedTails), ChangedTails, passes: 10);
        await MeasureAsync(nameof(ChangedTails) + " (500 passes, compactions included)", ChangedTails, passes: 500);
        await VerifyAllAsync("after the measured ChangedTails passes");
    }

    /// <summary>Setup of <see cref="UnchangedTouch"/>: the bytes of a few passes.</summary>
    [GlobalSetup(Target = nameof(UnchangedTouch))]
    public async Task SetupTouch()
    {
        await StartAsync();
        await UnchangedTouch();
        if (_touchMisses != 0)
        {
            throw new InvalidOperationException($"{_touchMisses} of 30 TouchChartAsync calls answered false after a whole write.");
        }

        await MeasureAsync(nameof(UnchangedTouch), UnchangedTouch, passes: 10);
        await VerifyAllAsync("after the measured UnchangedTouch passes");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        try
        {
            // Every timed pass left the keys holding the charts as they are now.
            await VerifyAllAsync("after the timed passes");
            Console.WriteLine(
                $"// SYNCPASS checked after the timed passes: 30 charts as expected; {_passes:N0} passes in this process, " +
                $"{_wholeFallbacks:N0} whole writes by fallback, {_touchMisses} touch misses");
            if (_touchMisses != 0)
            {
                throw new InvalidOperationException($"{_touchMisses} TouchChartAsync calls answered false.");
            }
        }
        finally
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Before #16: each of the 30 changed charts serialised and written whole (SET … EX).</summary>
    [Benchmark(Baseline = true)]
    public async Task WholeCharts()
    {
        _passes++;
        var store = _redis.Store;
        foreach (var chart in _charts)
        {
            chart.Advance();
            await store.SaveChartAsync(chart.Symbol, chart.Timeframe, chart.Current);
        }
    }

    /// <summary>The same 30 changes in place: the changed tail and the blanked oldest candle, one EVALSHA per chart.</summary>
    [Benchmark]
    public async Task ChangedTails()
    {
        _passes++;
        var store = _redis.Store;
        foreach (var chart in _charts)
        {
            var changes = chart.Advance();
            if (changes.IsReset || !await store.SaveChartChangesAsync(chart.Symbol, chart.Timeframe, changes, chart.Current[changes.FirstChanged..]))
            {
                _wholeFallbacks++;
                chart.Fallbacks++;
                await store.SaveChartAsync(chart.Symbol, chart.Timeframe, chart.Current);
            }
        }
    }

    /// <summary>A pass over 30 unchanged charts: a TTL refresh each (one EVALSHA that checks the stamp).</summary>
    [Benchmark]
    public async Task UnchangedTouch()
    {
        _passes++;
        var store = _redis.Store;
        foreach (var chart in _charts)
        {
            if (!await store.TouchChartAsync(chart.Symbol, chart.Timeframe))
            {
                _touchMisses++;
            }
        }
    }

    private async Task StartAsync()
    {
        _redis = await ChartStoreBench.StartAsync(allowAdmin: true);
        var charts = new List<SyncChart>(Symbols.Length * Timeframe.All.Count);
        for (var s = 0; s < Symbols.Length; s++)
        {
            foreach (var timeframe in Timeframe.All)
            {
                charts.Add(new SyncChart(Symbols[s], timeframe, HistoryDepth.DefaultBars(timeframe), s));
            }
        }

        _charts = [.. charts];
        foreach (var chart in _charts)
        {
            if (!await _redis.Store.SaveChartAsync(chart.Symbol, chart.Timeframe, chart.Current))
            {
                throw new InvalidOperationException($"The first write of {chart} was not written.");
            }
        }

        await VerifyAllAsync("after the first whole write");
    }

    /// <summary>Runs <paramref name="passes"/> passes and prints what Redis received per pass.</summary>
    private async Task MeasureAsync(string name, Func<Task> pass, int passes)
    {
        var server = _redis.Connection.GetServer(_redis.Connection.GetEndPoints()[0]);
        var fallbacks = _wholeFallbacks;

        // The INFO command's own bytes: the delta of two INFO calls with nothing between.
        var first = await InputBytesAsync(server);
        var second = await InputBytesAsync(server);
        var infoBytes = second - first;

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var before = await InputBytesAsync(server);
        for (var i = 0; i < passes; i++)
        {
            await pass();
        }

        var after = await InputBytesAsync(server);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var perPass = (double)(after - before - infoBytes) / passes;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// SYNCPASS {name}: {perPass:N0} B received by Redis per pass ({passes} passes, {after - before - infoBytes:N0} B, " +
            $"{elapsed.TotalMilliseconds / passes:N2} ms/pass untimed, {_wholeFallbacks - fallbacks} whole writes by fallback)"));
        if (name.StartsWith(nameof(ChangedTails), StringComparison.Ordinal))
        {
            Console.WriteLine("// SYNCPASS   fallbacks by chart so far: " + string.Join(' ', _charts.Where(c => c.Fallbacks > 0).Select(c => $"{c}={c.Fallbacks}")));
        }
    }

    private static async Task<long> InputBytesAsync(IServer server)
    {
        var info = await server.InfoAsync("stats");
        foreach (var group in info)
        {
            foreach (var pair in group)
            {
                if (pair.Key == "total_net_input_bytes")
                {
                    return long.Parse(pair.Value, CultureInfo.InvariantCulture);
                }
            }
        }

        throw new InvalidOperationException("INFO stats has no total_net_input_bytes.");
    }

    /// <summary>GETs every chart key and checks that it parses to the chart's current candles; throws if not.</summary>
    private async Task VerifyAllAsync(string when)
    {
        foreach (var chart in _charts)
        {
            using var lease = await _redis.Db.StringGetLeaseAsync($"chart:{chart.Symbol}:{chart.Timeframe.Name}:1year");
            if (lease is null)
            {
                throw new InvalidOperationException($"{chart} is missing {when}.");
            }

            var stored = CandleJsonReader.ReadArray(lease.Span, out var rejected);
            if (stored is null || rejected != 0 || !stored.AsSpan().SequenceEqual(chart.Current.Span))
            {
                throw new InvalidOperationException(
                    $"{chart} {when} does not hold the expected {chart.Current.Length} candles " +
                    $"(read {stored?.Length.ToString(CultureInfo.InvariantCulture) ?? "nothing"}, {rejected} rejected).");
            }
        }
    }

    /// <summary>
    /// One series: a generated history of depth + <see cref="Headroom"/> final bars, and a window of depth bars over it
    /// whose newest bar is partial (its close at the open, half the volume). <see cref="Advance"/> moves the window one
    /// bar: the partial bar becomes final, the next bar is appended partial and the oldest dropped, in place (the
    /// displaced final bar is kept aside), so <see cref="Current"/> is a slice, never a copy.
    /// </summary>
    private sealed class SyncChart
    {
        private readonly Candle[] _series;
        private readonly int _depth;
        private Candle _displaced;
        private int _start;
        private ChartChanges _step;

        public SyncChart(Symbol symbol, Timeframe timeframe, int depth, int symbolIndex)
        {
            Symbol = symbol;
            Timeframe = timeframe;
            _depth = depth;
            _series = Generate(symbolIndex, timeframe, depth, depth + Headroom);
            _displaced = _series[depth - 1];
            _series[depth - 1] = Partial(_displaced);
        }

        public Symbol Symbol { get; }

        public Timeframe Timeframe { get; }

        public ReadOnlyMemory<Candle> Current => _series.AsMemory(_start, _depth);

        public int Fallbacks { get; set; }

        /// <summary>Moves the window one bar; returns the changes from the previous state (a reset when it wrapped).</summary>
        public ChartChanges Advance()
        {
            var last = _start + _depth - 1;
            _series[last] = _displaced;
            if (last + 1 == _series.Length)
            {
                // Out of headroom: back to the start, which does not line up with the previous state.
                _start = 0;
                _displaced = _series[_depth - 1];
                _series[_depth - 1] = Partial(_displaced);
                return ChartChanges.Reset;
            }

            _start++;
            _displaced = _series[last + 1];
            _series[last + 1] = Partial(_displaced);
            return _step;
        }

        /// <summary>
        /// Computes <see cref="ChartChanges.Between"/> for one move of the window (the same for every move) and checks
        /// it is the expected one: one dropped, the first change at depth − 2.
        /// </summary>
        public void CheckChanges()
        {
            var before = Current.ToArray();
            var displaced = _displaced;
            var start = _start;
            Advance();
            var after = Current.ToArray();

            // Back to the state before, so the store's layout still describes the value.
            _series[_start + _depth - 1] = _displaced;
            _start = start;
            _displaced = displaced;
            _series[_start + _depth - 1] = Partial(_displaced);
            if (!Current.Span.SequenceEqual(before))
            {
                throw new InvalidOperationException($"{this}: the window did not return to its state.");
            }

            _step = ChartChanges.Between(before, after);
            if (_step != new ChartChanges(false, 1, _depth - 2))
            {
                throw new InvalidOperationException($"{this}: ChartChanges.Between gave {_step}, expected one dropped and the first change at {_depth - 2}.");
            }
        }

        public override string ToString() => $"{Symbol}:{Timeframe.Name}";

        private static Candle Partial(in Candle c) =>
            Candle.Create(c.OpenTime, c.Open, c.High, c.Low, c.Open, Math.Floor(c.Volume / 2), Math.Floor(c.BuyVolume / 2), Math.Floor(c.SellVolume / 2));

        /// <summary>
        /// A deterministic, mean-reverting random walk at the symbol's price level and tick size, bars <paramref name="timeframe"/>
        /// apart (no calendar gaps: the store does not care), the first window ending at
        /// <see cref="BenchmarkData.StartSeconds"/>, volumes scaled by the bar's minutes, with order flow.
        /// </summary>
        private static Candle[] Generate(int symbolIndex, Timeframe timeframe, int depth, int count)
        {
            // GC, SI, CL, ES, NQ: level, tick size, decimals.
            ReadOnlySpan<double> levels = [2_030, 30, 75, 5_600, 19_000];
            ReadOnlySpan<double> ticks = [0.1, 0.005, 0.01, 0.25, 0.25];
            ReadOnlySpan<int> decimals = [1, 3, 2, 2, 2];
            var tick = ticks[symbolIndex];
            var digits = decimals[symbolIndex];
            var random = new Random(BenchmarkData.Seed + (symbolIndex * 16) + timeframe.Seconds);
            var minutes = timeframe.Seconds / 60;
            var level = (long)Math.Round(levels[symbolIndex] / tick);

            // A close within ±0.05 % of the level per minute, growing with the square root of the bar's minutes, pulled
            // back towards the level by a fiftieth of the distance each bar, so a deep 1d series stays near it.
            var step = (int)Math.Ceiling(level * 0.0005 * Math.Sqrt(minutes));
            var priceTicks = level;
            var time = timeframe.Floor(BenchmarkData.StartSeconds - ((long)depth * timeframe.Seconds));
            var result = new Candle[count];
            for (var i = 0; i < count; i++)
            {
                var open = priceTicks;
                var close = open + random.Next(-step, step + 1) + ((level - open) / 50);
                var high = Math.Max(open, close) + random.Next(0, (step / 2) + 1);
                var low = Math.Min(open, close) - random.Next(0, (step / 2) + 1);
                var volume = (double)(random.Next(2, 500) * minutes);
                var buy = Math.Floor(volume * random.Next(0, 61) / 100);
                var sell = Math.Floor((volume - buy) * random.Next(50, 101) / 100);
                result[i] = Candle.Create(time, Price(open), Price(high), Price(low), Price(close), volume, buy, sell);
                priceTicks = close;
                time += timeframe.Seconds;
            }

            return result;

            double Price(long t) => Math.Round(t * tick, digits);
        }
    }
}
