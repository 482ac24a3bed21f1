using System.Buffers;
using OrderFlow.Candles.Rules;
using OrderFlow.Candles.Sessions;

namespace OrderFlow.Candles;

/// <summary>
/// Turns candles from any source into a clean chart series: validated, aligned, de-duplicated, windowed and with the
/// history rules (<see cref="CandleRules.History"/>) applied.
/// </summary>
/// <remarks>
/// <para>The steps, in order:</para>
/// <list type="number">
/// <item><b>Validate</b> each input (<see cref="RawCandle.TryValidate"/>): times in milliseconds (≥ 1e11) become seconds;
/// non-finite or non-positive prices, a negative or non-finite volume and out-of-range times are rejected with a
/// reason; OHLC is made consistent.</item>
/// <item><b>Align</b>: each open time is floored to its timeframe bucket.</item>
/// <item><b>Window</b>: candles opening before <c>now − HistoryWindow</c> (365 days) are dropped as
/// <see cref="CandleRejection.OutsideWindow"/>; candles opening after <c>now + MaxFutureSkew</c> as
/// <see cref="CandleRejection.InFuture"/>.</item>
/// <item><b>De-duplicate</b>: one candle per bucket, and when several inputs fall in the same bucket the later input
/// wins (pass older sources first: history before live, older history before newer); a winner without order flow
/// keeps the flow of the one it replaces when that fits its volume (<see cref="Candle.WithFlowFrom"/>: an OHLCV bar
/// replacing the trade-built minute). The output is strictly ascending.</item>
/// <item><b>Spike rejection</b> (when in <see cref="CandleRules.History"/>; off by default): as on the live path, but
/// a run of agreeing prices that re-anchors the reference is kept whole, since in a batch the run is known to be a
/// genuine move.</item>
/// <item><b>Continuity</b> (on by default): each candle opens at the previous close when the gap between the end
/// of the previous candle (open time + timeframe) and its open is at most <see cref="CandleRules.ContinuityGap"/>;
/// high and low are extended to the new open.</item>
/// <item><b>Wick clamp</b> (when in <see cref="CandleRules.History"/>; off by default).</item>
/// </list>
/// <para>Normalising a normalised series (with the same rules, timeframe and now) returns it unchanged.</para>
/// <para>Outlier rejection (<see cref="RuleSet.OutlierRejection"/>, <see cref="RejectOutliers"/>) is not one of the
/// steps: it judges candles as they come in (a history answer, a restored chart), never the candles a chart already
/// holds, so that a chart only ever loses candles to its window and depth (<see cref="Book.ChartBook"/> applies it).</para>
/// </remarks>
public static class CandleSeries
{
    /// <summary>How many neighbours on each side judge a candle in <see cref="RejectOutliers"/>.</summary>
    private const int OutlierReach = 3;

    /// <summary>Normalises raw, untrusted candles into a chart series.</summary>
    /// <param name="input">The candles, in source order (later inputs win on the same bucket); any order of times.</param>
    /// <param name="timeframe">The timeframe of the series.</param>
    /// <param name="rules">The rules; <see cref="CandleRules.History"/> says which optional rules apply.</param>
    /// <param name="now">The reference time for the window; OrderFlow.Candles never reads a clock.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The series and the rejection counts. Never throws for bad market data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public static NormalizedSeries Normalize(ReadOnlySpan<RawCandle> input, Timeframe timeframe, CandleRules rules, DateTimeOffset now, CandleAlignment? alignment = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var counts = new CandleRejectionCounts();
        var buffer = ArrayPool<Candle>.Shared.Rent(Math.Max(1, input.Length));
        try
        {
            var n = Admit(input, timeframe, rules, now, alignment, counts, buffer, out var range);
            return Finish(buffer.AsSpan(0, n), range, input.Length, timeframe, rules, alignment, counts);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Normalises raw, untrusted candles into a caller's buffer: the same result as
    /// <see cref="Normalize(ReadOnlySpan{RawCandle}, Timeframe, CandleRules, DateTimeOffset, CandleAlignment?)"/>
    /// without allocating the output, for callers that normalise repeatedly into a reused buffer.
    /// </summary>
    /// <param name="input">The candles, in source order (later inputs win on the same bucket); any order of times.</param>
    /// <param name="destination">Where the series goes; <c>input.Length</c> elements always suffice.</param>
    /// <param name="timeframe">The timeframe of the series.</param>
    /// <param name="rules">The rules; <see cref="CandleRules.History"/> says which optional rules apply.</param>
    /// <param name="now">The reference time for the window.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <param name="rejections">Where to count the rejected inputs, by reason; optional.</param>
    /// <returns>How many candles were written to the start of <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the series.</exception>
    public static int Normalize(ReadOnlySpan<RawCandle> input, Span<Candle> destination, Timeframe timeframe, CandleRules rules, DateTimeOffset now, CandleAlignment? alignment = null, CandleRejectionCounts? rejections = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var counts = rejections ?? new CandleRejectionCounts();
        var buffer = ArrayPool<Candle>.Shared.Rent(Math.Max(1, input.Length));
        try
        {
            var n = Admit(input, timeframe, rules, now, alignment, counts, buffer, out var range);
            Candle[]? unused = null;
            return n == 0 ? 0 : Finish(buffer.AsSpan(0, n), range, timeframe, rules, alignment, counts, destination, ref unused, out _);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    /// <summary>Normalises candles that are already valid values, e.g. a stored chart merged with new data.</summary>
    /// <param name="input">The candles, in source order (later inputs win on the same bucket); any order of times.</param>
    /// <param name="timeframe">The timeframe of the series.</param>
    /// <param name="rules">The rules; <see cref="CandleRules.History"/> says which optional rules apply.</param>
    /// <param name="now">The reference time for the window.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The series and the rejection counts; a <c>default(Candle)</c> input is rejected as <see cref="CandleRejection.NonPositivePrice"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public static NormalizedSeries Normalize(ReadOnlySpan<Candle> input, Timeframe timeframe, CandleRules rules, DateTimeOffset now, CandleAlignment? alignment = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var counts = new CandleRejectionCounts();
        var buffer = ArrayPool<Candle>.Shared.Rent(Math.Max(1, input.Length));
        try
        {
            var window = new Window(rules, now);
            var n = 0;
            var range = TimeRange.Empty;
            for (var i = 0; i < input.Length; i++)
            {
                Candle candle = default;
                var rejection = input[i].IsDefault
                    ? CandleRejection.NonPositivePrice
                    : Admit(input[i], timeframe, alignment, window, out candle);
                Keep(rejection, candle, buffer, ref n, ref range, counts);
            }

            return Finish(buffer.AsSpan(0, n), range, input.Length, timeframe, rules, alignment, counts);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Merges two series into one normalised series; on the same bucket <paramref name="newer"/> wins (live over
    /// history, newer history over older).
    /// </summary>
    /// <param name="older">The older source, e.g. the stored chart.</param>
    /// <param name="newer">The newer source, e.g. fresh history or live candles.</param>
    /// <param name="timeframe">The timeframe of the series.</param>
    /// <param name="rules">The rules.</param>
    /// <param name="now">The reference time for the window.</param>
    /// <param name="alignment">The bucket alignment; <see langword="null"/> for <see cref="CandleAlignment.Utc"/>.</param>
    /// <returns>The merged series.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value in <paramref name="rules"/> is out of range.</exception>
    public static NormalizedSeries Merge(ReadOnlySpan<Candle> older, ReadOnlySpan<Candle> newer, Timeframe timeframe, CandleRules rules, DateTimeOffset now, CandleAlignment? alignment = null)
    {
        var all = ArrayPool<Candle>.Shared.Rent(Math.Max(1, older.Length + newer.Length));
        try
        {
            older.CopyTo(all);
            newer.CopyTo(all.AsSpan(older.Length));
            return Normalize(all.AsSpan(0, older.Length + newer.Length), timeframe, rules, now, alignment);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(all);
        }
    }

    /// <summary>
    /// The union of two series by open time: a candle of <paramref name="newer"/> wins over one of
    /// <paramref name="older"/> at the same open time (and, within one input, a later candle over an earlier one).
    /// No rule is applied and nothing is validated: for series already normalised, such as two answers of one source.
    /// </summary>
    /// <param name="older">The older series.</param>
    /// <param name="newer">The newer series.</param>
    /// <returns>A new strictly ascending array. Linear when both inputs are strictly ascending.</returns>
    public static Candle[] Union(ReadOnlySpan<Candle> older, ReadOnlySpan<Candle> newer) => Union(older, newer, long.MinValue);

    /// <summary>The union of <see cref="Union(ReadOnlySpan{Candle}, ReadOnlySpan{Candle})"/>, without the candles opening before <paramref name="from"/>.</summary>
    internal static Candle[] Union(ReadOnlySpan<Candle> older, ReadOnlySpan<Candle> newer, long from)
    {
        if (!IsStrictlyAscending(older) || !IsStrictlyAscending(newer))
        {
            var byTime = new SortedDictionary<long, Candle>();
            foreach (ref readonly var candle in older)
            {
                byTime[candle.OpenTime] = candle;
            }

            foreach (ref readonly var candle in newer)
            {
                byTime[candle.OpenTime] = candle;
            }

            return [.. byTime.Values.Where(c => c.OpenTime >= from)];
        }

        var result = new Candle[older.Length + newer.Length];
        int i = 0, j = 0, n = 0;
        while (i < older.Length || j < newer.Length)
        {
            Candle next;
            if (j == newer.Length || (i < older.Length && older[i].OpenTime < newer[j].OpenTime))
            {
                next = older[i++];
            }
            else
            {
                if (i < older.Length && older[i].OpenTime == newer[j].OpenTime)
                {
                    i++;
                }

                next = newer[j++];
            }

            if (next.OpenTime >= from)
            {
                result[n++] = next;
            }
        }

        return n == result.Length ? result : result[..n];
    }

    /// <summary>
    /// Applies continuity in place to an ascending series: each candle opens at the previous close when the gap
    /// between them is at most <paramref name="maxGap"/>.
    /// </summary>
    /// <param name="series">Candles, strictly ascending by open time.</param>
    /// <param name="timeframe">Their timeframe (the gap is measured from the end of the previous candle).</param>
    /// <param name="maxGap">The longest gap across which continuity holds.</param>
    /// <returns>How many candles changed.</returns>
    public static int ApplyContinuity(Span<Candle> series, Timeframe timeframe, TimeSpan maxGap)
    {
        var gapSeconds = (long)maxGap.TotalSeconds;
        var length = timeframe.Seconds;
        var changed = 0;
        for (var i = 1; i < series.Length; i++)
        {
            ref readonly var previous = ref series[i - 1];
            ref var current = ref series[i];
            if (current.OpenTime - (previous.OpenTime + length) <= gapSeconds && current.Open != previous.Close)
            {
                current = current.WithOpenExtending(previous.Close);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>Clamps every candle's wicks in place to <paramref name="maxWick"/> beyond its body.</summary>
    /// <param name="series">The candles.</param>
    /// <param name="maxWick">The longest wick in price points; infinity leaves the candles unchanged.</param>
    /// <returns>How many candles changed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWick"/> is negative or NaN.</exception>
    public static int ClampWicks(Span<Candle> series, double maxWick)
    {
        if (!(maxWick >= 0))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxWick), maxWick, "The wick limit must be 0 or more.");
        }

        var changed = 0;
        for (var i = 0; i < series.Length; i++)
        {
            var clamped = series[i].WithWicksClamped(maxWick);
            if (clamped != series[i])
            {
                series[i] = clamped;
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// Drops, in place, the candles of an ascending series that lie more than <paramref name="maxRatio"/> times away
    /// from their neighbours' level, counts them as <see cref="CandleRejection.Outlier"/>, and returns the new length.
    /// </summary>
    /// <remarks>
    /// <para><b>The rule.</b> A candle's reference is the median close of its neighbours: up to three candles on
    /// each side, taken from the input as given, rejected ones included (the
    /// median shrugs off a few bad values). With an even number of neighbours the median is the pair of middle
    /// closes, and the candle must lie beyond both: of two neighbours one of which is bad, nothing says which. A
    /// candle is an outlier when its high is above reference × <paramref name="maxRatio"/> or its low below
    /// reference ÷ <paramref name="maxRatio"/>. A candle with fewer than two neighbours in all is kept: there is
    /// nothing to judge it against. Every verdict is reached on the input before anything moves, so the result does
    /// not depend on the order of removal.</para>
    /// <para><b>Why a ratio and a median.</b> What corrupts history is a decimal shift (×10, ÷1000), a unit error or
    /// a garbage number (1e308): all far beyond a factor of 2 at any price level. A genuine CME move never halves or
    /// doubles a price inside a 7-bar window (the exchange's price-limit circuit breakers halt trading at 7, 13 and
    /// 20 %). A ratio needs no scale per contract or timeframe, and a median of both sides lets a genuine level
    /// shift through: at the first bar of a new level, half of its neighbours are already there.</para>
    /// <para>Linear in the series, and allocates nothing.</para>
    /// </remarks>
    /// <param name="series">Candles, ascending by open time.</param>
    /// <param name="maxRatio">How far, as a factor, a candle may lie from its neighbours' level; infinity keeps every candle.</param>
    /// <param name="rejections">Where to count the dropped candles; optional.</param>
    /// <returns>How many candles were kept, at the start of <paramref name="series"/> in their order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRatio"/> is not greater than 1.</exception>
    public static int RejectOutliers(Span<Candle> series, double maxRatio, CandleRejectionCounts? rejections = null)
    {
        if (!(maxRatio > 1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxRatio), maxRatio, "The outlier ratio must be greater than 1.");
        }

        if (double.IsPositiveInfinity(maxRatio))
        {
            return series.Length;
        }

        // Kept candles move down over positions already judged, so the closes of the last candles to the left are
        // remembered as they were; those to the right have not moved yet.
        Span<double> left = stackalloc double[OutlierReach];
        Span<double> neighbours = stackalloc double[2 * OutlierReach];
        var kept = 0;
        for (var i = 0; i < series.Length; i++)
        {
            var candle = series[i];
            var count = 0;
            for (var j = Math.Max(0, i - OutlierReach); j < i; j++)
            {
                neighbours[count++] = left[j % OutlierReach];
            }

            for (var j = i + 1; j < series.Length && j <= i + OutlierReach; j++)
            {
                neighbours[count++] = series[j].Close;
            }

            left[i % OutlierReach] = candle.Close;
            if (IsOutlier(candle, neighbours[..count], maxRatio))
            {
                rejections?.Add(CandleRejection.Outlier);
                continue;
            }

            series[kept++] = candle;
        }

        return kept;
    }

    private static bool IsOutlier(in Candle candle, Span<double> neighbours, double maxRatio)
    {
        if (neighbours.Length < 2)
        {
            return false;
        }

        // Insertion sort: at most six values.
        for (var i = 1; i < neighbours.Length; i++)
        {
            var value = neighbours[i];
            var j = i - 1;
            for (; j >= 0 && neighbours[j] > value; j--)
            {
                neighbours[j + 1] = neighbours[j];
            }

            neighbours[j + 1] = value;
        }

        var lowerMedian = neighbours[(neighbours.Length - 1) / 2];
        var upperMedian = neighbours[neighbours.Length / 2];
        return candle.High > upperMedian * maxRatio || candle.Low < lowerMedian / maxRatio;
    }

    private static int Admit(ReadOnlySpan<RawCandle> input, Timeframe timeframe, CandleRules rules, DateTimeOffset now, CandleAlignment? alignment, CandleRejectionCounts counts, Candle[] buffer, out TimeRange range)
    {
        var window = new Window(rules, now);
        var n = 0;
        range = TimeRange.Empty;
        foreach (ref readonly var raw in input)
        {
            var rejection = raw.TryValidate(out var candle);
            if (rejection == CandleRejection.None)
            {
                rejection = Admit(candle, timeframe, alignment, window, out candle);
            }

            Keep(rejection, candle, buffer, ref n, ref range, counts);
        }

        return n;
    }

    /// <summary>Adds an admitted candle to the buffer and the time range, or counts why it was not admitted.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Keep(CandleRejection rejection, in Candle candle, Candle[] buffer, ref int n, ref TimeRange range, CandleRejectionCounts counts)
    {
        if (rejection == CandleRejection.None)
        {
            range.Add(candle.OpenTime);
            buffer[n++] = candle;
        }
        else
        {
            counts.Add(rejection);
        }
    }

    private static CandleRejection Admit(Candle candle, Timeframe timeframe, CandleAlignment? alignment, in Window window, out Candle admitted)
    {
        var open = alignment is null ? timeframe.Floor(candle.OpenTime) : alignment.Floor(candle.OpenTime, timeframe);
        admitted = default;
        if (open < UnixTime.MinSeconds)
        {
            // A session-anchored bucket of the first hours of 1970 opens before the epoch.
            return CandleRejection.TimeOutOfRange;
        }

        if (open < window.Start)
        {
            return CandleRejection.OutsideWindow;
        }

        if (open > window.End)
        {
            return CandleRejection.InFuture;
        }

        admitted = open == candle.OpenTime ? candle : candle.WithOpenTime(open);
        return CandleRejection.None;
    }

    private static NormalizedSeries Finish(Span<Candle> admitted, in TimeRange range, int inputCount, Timeframe timeframe, CandleRules rules, CandleAlignment? alignment, CandleRejectionCounts counts)
    {
        Candle[]? array = null;
        var written = Finish(admitted, range, timeframe, rules, alignment, counts, default, ref array, out var duplicates);
        if (array!.Length != written)
        {
            array = array.AsSpan(0, written).ToArray();
        }

        return new NormalizedSeries(array, counts, inputCount, duplicates);
    }

    /// <summary>
    /// De-duplicates and applies the history rules, writing into <paramref name="destination"/>, or into a new
    /// array of the exact size (returned in <paramref name="array"/>) when <paramref name="destination"/> is empty.
    /// </summary>
    private static int Finish(Span<Candle> admitted, in TimeRange range, Timeframe timeframe, CandleRules rules, CandleAlignment? alignment, CandleRejectionCounts counts, Span<Candle> destination, ref Candle[]? array, out int duplicates)
    {
        // Continuity can ride along the de-duplication pass unless spike rejection must drop candles before it.
        var continuity = (rules.History & RuleSet.Continuity) != 0;
        var fused = continuity && (rules.History & RuleSet.SpikeRejection) == 0;
        Span<Candle> output;
        int written;
        int[]? slots = null;
        try
        {
            if ((alignment is null || !alignment.IsSessionAnchored) && TryPlaceSlots(admitted, range, timeframe, out slots, out var slotCount, out var unique))
            {
                output = destination.IsEmpty ? (array = GC.AllocateUninitializedArray<Candle>(unique)) : CheckCapacity(destination, unique);
                written = GatherSlots(admitted, slots.AsSpan(0, slotCount), timeframe, fused ? (long)rules.ContinuityGap.TotalSeconds : -1, output);
            }
            else
            {
                var sorted = DeduplicateBySort(admitted);
                fused = false;
                written = sorted.Length;
                if (destination.IsEmpty)
                {
                    output = array = sorted;
                }
                else
                {
                    output = CheckCapacity(destination, written);
                    sorted.CopyTo(output);
                }
            }
        }
        finally
        {
            if (slots is not null)
            {
                ArrayPool<int>.Shared.Return(slots);
            }
        }

        duplicates = admitted.Length - written;
        var series = output[..written];
        if ((rules.History & RuleSet.SpikeRejection) != 0)
        {
            written = RejectSpikes(series, rules, counts);
            series = series[..written];
        }

        if (continuity && !fused)
        {
            ApplyContinuity(series, timeframe, rules.ContinuityGap);
        }

        if ((rules.History & RuleSet.WickClamp) != 0 && !double.IsPositiveInfinity(rules.MaxWick))
        {
            ClampWicks(series, rules.MaxWick);
        }

        return written;
    }

    private static Span<Candle> CheckCapacity(Span<Candle> destination, int needed)
    {
        if (destination.Length < needed)
        {
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} candles but {needed} are needed; input.Length always suffices.");
        }

        return destination;
    }

    /// <summary>
    /// Sorts and de-duplicates without a comparison sort: each candle is placed in its bucket's slot (later inputs
    /// overwrite earlier ones, so the later one wins), and <see cref="GatherSlots"/> reads the slots in order. Linear
    /// in inputs plus buckets; refused (<see langword="false"/>) when the span of times has too many empty slots.
    /// </summary>
    private static bool TryPlaceSlots(Span<Candle> admitted, in TimeRange range, Timeframe timeframe, out int[]? slots, out int slotCount, out int unique)
    {
        slots = null;
        slotCount = 0;
        unique = 0;
        if (admitted.IsEmpty)
        {
            return true;
        }

        var count = timeframe.Divide(range.Max - range.Min) + 1;
        if (count > (8L * admitted.Length) + 4096 || count > Array.MaxLength)
        {
            return false;
        }

        slotCount = (int)count;
        slots = ArrayPool<int>.Shared.Rent(slotCount);
        var used = slots.AsSpan(0, slotCount);
        used.Clear();
        for (var i = 0; i < admitted.Length; i++)
        {
            ref var slot = ref used[(int)timeframe.Divide(admitted[i].OpenTime - range.Min)];
            unique += slot == 0 ? 1 : 0;
            if (slot != 0)
            {
                admitted[i] = admitted[i].WithFlowFrom(admitted[slot - 1]);
            }

            slot = i + 1;
        }

        return true;
    }

    /// <summary>Reads the placed candles in time order into <paramref name="destination"/>, applying continuity when <paramref name="continuityGapSeconds"/> is not negative.</summary>
    private static int GatherSlots(ReadOnlySpan<Candle> admitted, ReadOnlySpan<int> used, Timeframe timeframe, long continuityGapSeconds, Span<Candle> destination)
    {
        long length = timeframe.Seconds;
        var written = 0;
        foreach (var index in used)
        {
            if (index == 0)
            {
                continue;
            }

            var candle = admitted[index - 1];
            if (written > 0 && continuityGapSeconds >= 0)
            {
                ref readonly var previous = ref destination[written - 1];
                if (candle.OpenTime - (previous.OpenTime + length) <= continuityGapSeconds && candle.Open != previous.Close)
                {
                    candle = candle.WithOpenExtending(previous.Close);
                }
            }

            destination[written++] = candle;
        }

        return written;
    }

    private static Candle[] DeduplicateBySort(ReadOnlySpan<Candle> admitted)
    {
        var keys = new long[admitted.Length];
        var order = new int[admitted.Length];
        for (var i = 0; i < admitted.Length; i++)
        {
            keys[i] = admitted[i].OpenTime;
            order[i] = i;
        }

        Array.Sort(keys, order);
        var result = new List<Candle>(admitted.Length);
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            var latest = order[i];
            var flow = admitted[latest].HasFlow ? latest : -1;
            while (++j < keys.Length && keys[j] == keys[i])
            {
                latest = Math.Max(latest, order[j]);
                flow = admitted[order[j]].HasFlow ? Math.Max(flow, order[j]) : flow;
            }

            result.Add(flow >= 0 && flow != latest ? admitted[latest].WithFlowFrom(admitted[flow]) : admitted[latest]);
            i = j;
        }

        return [.. result];
    }

    /// <summary>
    /// Drops spikes from an ascending series in place and returns the new length. Candles of a rejected run wait at
    /// the end of the kept ones: a run that re-anchors is kept whole (in a batch it is known to be a genuine move), a
    /// run that never confirms itself is dropped and counted.
    /// </summary>
    private static int RejectSpikes(Span<Candle> series, CandleRules rules, CandleRejectionCounts counts)
    {
        var filter = default(SpikeFilter);
        var gapMs = (long)rules.ContinuityGap.TotalMilliseconds;
        var kept = 0;
        var pending = 0;
        for (var i = 0; i < series.Length; i++)
        {
            var candle = series[i];
            switch (filter.Check(candle.Close, candle.OpenTime * 1000, rules.MaxPriceMove, gapMs, rules.SpikeRecoveryCount))
            {
                case SpikeVerdict.Rejected:
                    if (filter.PendingRun == 1)
                    {
                        // A new run started: the previous one never confirmed itself.
                        Drop(ref pending, counts);
                    }

                    series[kept + pending++] = candle;
                    break;
                case SpikeVerdict.Reanchored:
                    kept += pending;
                    pending = 0;
                    series[kept++] = candle;
                    break;
                default:
                    Drop(ref pending, counts);
                    series[kept++] = candle;
                    break;
            }
        }

        Drop(ref pending, counts);
        return kept;

        static void Drop(ref int pending, CandleRejectionCounts counts)
        {
            for (; pending > 0; pending--)
            {
                counts.Add(CandleRejection.Spike);
            }
        }
    }

    /// <summary>The earliest and latest open time admitted, tracked while admitting so no extra pass is needed.</summary>
    private struct TimeRange
    {
        public static TimeRange Empty => new() { Min = long.MaxValue, Max = long.MinValue };

        public long Min;
        public long Max;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Add(long time)
        {
            Min = Math.Min(Min, time);
            Max = Math.Max(Max, time);
        }
    }

    private readonly struct Window
    {
        public Window(CandleRules rules, DateTimeOffset now)
        {
            var nowSeconds = now.ToUnixTimeSeconds();
            Start = Math.Max(UnixTime.MinSeconds, nowSeconds - (long)rules.HistoryWindow.TotalSeconds);
            End = Math.Min(UnixTime.MaxSeconds, nowSeconds + (long)rules.MaxFutureSkew.TotalSeconds);
        }

        public long Start { get; }

        public long End { get; }
    }

    private static bool IsStrictlyAscending(ReadOnlySpan<Candle> candles)
    {
        for (var i = 1; i < candles.Length; i++)
        {
            if (candles[i].OpenTime <= candles[i - 1].OpenTime)
            {
                return false;
            }
        }

        return true;
    }
}
