using System.Buffers;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Book;

/// <summary>
/// Everything one symbol's timeframes know: the chart of each (up to a year, capped at its depth), the live end of
/// each, live updates carried from every timeframe to the coarser ones, and timeframes the feed has no history for
/// built from finer ones. Pure: no I/O, no clock (every input comes with its "now"), not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Inputs.</b> <see cref="Restore"/> (what the store held), <see cref="ApplyHistory"/> (a history answer),
/// <see cref="ApplyCandle"/> (a live candle of any timeframe) and <see cref="ApplyTick"/> (a trade; it builds the
/// finest timeframe). Every input is checked first: a candle or tick opening later than now plus the chart's
/// <see cref="ChartSpec.FutureTolerance"/> (one timeframe) is <see cref="CandleRejection.InFuture"/>, counted and
/// never stored; history and stored candles are normalised with the chart's rules (<see cref="CandleSeries"/>), live
/// inputs go through its live rules (<see cref="Live.LiveCandleSeries"/>). When the chart's history rules include
/// <see cref="RuleSet.OutlierRejection"/>, a history answer and a restored chart first lose their
/// <see cref="CandleRejection.Outlier"/> candles, judged among themselves (<see cref="CandleSeries.RejectOutliers"/>);
/// for those times the chart keeps what it held, if anything.</para>
/// <para><b>Merging.</b> A chart is the union of everything it received; on the same open time the newer input wins,
/// except that an answer's newest candle never replaces a held candle of the same interval: it may be a snapshot of an
/// interval that was still forming when the answer was made (a slow server, an hourly re-sync), which the live stream
/// builds on; the next answer, in which it is no longer the newest, settles it.</para>
/// <para><b>Propagation.</b> Each timeframe's source is the nearest finer timeframe of the book that divides it
/// (1m → 5m → 15m → 1h → 4h → 1d). A live change of a source candle recomputes the coarser candle of its bucket as the
/// aggregation (<see cref="CandleAggregation"/>) of the source's candles in that bucket, when the source's chart
/// reaches back to the bucket's start (otherwise the aggregate would understate it, and the coarser timeframe's own
/// history candle is kept) or the coarser timeframe is derived; and so on up the chain. A timeframe the feed streams
/// live itself keeps the feed's candles for the intervals it streamed. A history answer fills the intervals the
/// coarser charts lack (never replacing one they hold) the same way, so a coarser answer made before a finer one
/// leaves no hole.</para>
/// <para><b>Derivation.</b> An empty history answer makes a timeframe derived: its chart becomes the aggregation of
/// the nearest finer timeframe that has candles (4h from 1h, 5m and 15m from 1m), merged over what it held, and is
/// rebuilt whenever that source's history changes. A later non-empty answer makes it direct again.</para>
/// <para><b>Limits.</b> Every chart keeps the candles of the last <see cref="Rules.CandleRules.HistoryWindow"/> (365 days)
/// and at most <see cref="ChartSpec.Depth"/> of them, the newest; nothing else ever removes a candle (outlier
/// rejection judges incoming candles only, never the ones a chart holds).</para>
/// <para><b>Resume.</b> The state that matters is the charts themselves: a book restored from saved charts and fed
/// the remaining inputs ends with the same charts as one that never stopped (the timeframes the feed has no history
/// for are learnt again from the feed's first answers).</para>
/// </remarks>
public sealed class ChartBook
{
    private readonly BookChart[] _charts;
    private readonly BookChart?[] _byOrdinal = new BookChart?[Timeframe.All.Count];

    /// <summary>Creates an empty book.</summary>
    /// <param name="charts">One spec per timeframe, in any order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="charts"/> or a spec's rules is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No spec, or two for one timeframe.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A depth below 1, a negative tolerance or invalid rules.</exception>
    public ChartBook(IEnumerable<ChartSpec> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var specs = charts.OrderBy(s => s.Timeframe).ToArray();
        if (specs.Length == 0)
        {
            throw new ArgumentException("A chart book needs at least one chart.", nameof(charts));
        }

        _charts = new BookChart[specs.Length];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i].Validate();
            if (_byOrdinal[specs[i].Timeframe.Ordinal] is not null)
            {
                throw new ArgumentException($"Two charts for {specs[i].Timeframe}.", nameof(charts));
            }

            var chart = new BookChart(specs[i]);
            for (var j = i - 1; j >= 0 && chart.Source is null; j--)
            {
                if (_charts[j].Timeframe.Divides(chart.Timeframe))
                {
                    chart.Source = _charts[j];
                    _charts[j].Targets.Add(chart);
                }
            }

            _charts[i] = chart;
            _byOrdinal[chart.Timeframe.Ordinal] = chart;
        }

        Timeframes = [.. specs.Select(s => s.Timeframe)];
    }

    /// <summary>The book's timeframes, finest first.</summary>
    public IReadOnlyList<Timeframe> Timeframes { get; }

    /// <summary>The finest timeframe: ticks build it.</summary>
    public Timeframe Base => _charts[0].Timeframe;

    /// <summary>Whether the book has a chart for <paramref name="timeframe"/>.</summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>True when it has.</returns>
    public bool Contains(Timeframe timeframe) => _byOrdinal[timeframe.Ordinal] is not null;

    /// <summary>The chart of <paramref name="timeframe"/>, ascending; valid until the book's next change.</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <returns>The candles.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public ReadOnlySpan<Candle> GetChart(Timeframe timeframe) => Get(timeframe).Candles.Span;

    /// <summary>A number that grows whenever the chart of <paramref name="timeframe"/> changes.</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public long GetVersion(Timeframe timeframe) => Get(timeframe).Candles.Version;

    /// <summary>
    /// What changed in the chart of <paramref name="timeframe"/> since the last call, and starts counting again: the
    /// writer of a stored copy takes it together with the candles it sends (under the same lock), so it sends only the
    /// changed tail. The first call for a chart, and the first after it was restored or rebuilt whole, is a reset.
    /// </summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <returns>The changes since the last call.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public ChartChanges TakeChanges(Timeframe timeframe) => Get(timeframe).Candles.TakeChanges();

    /// <summary>Whether <paramref name="timeframe"/> is built from a finer timeframe (its last history answer was empty).</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <returns>True when derived.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public bool IsDerived(Timeframe timeframe) => Get(timeframe).Derived;

    /// <summary>The newest candle of a chart: the live key's current candle.</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <param name="current">The candle, when the chart has one.</param>
    /// <returns>True when the chart has a candle.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public bool TryGetCurrent(Timeframe timeframe, out Candle current)
    {
        var chart = Get(timeframe).Candles;
        current = chart.Count > 0 ? chart.Last : default;
        return chart.Count > 0;
    }

    /// <summary>
    /// Copies the live buffer of a chart (its newest <see cref="Rules.CandleRules.LiveBufferSize"/> candles, the
    /// current one last) into <paramref name="destination"/>; when that is shorter, the newest candles.
    /// </summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <param name="destination">Where to copy.</param>
    /// <returns>How many candles were copied.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public int CopyLiveBuffer(Timeframe timeframe, Span<Candle> destination)
    {
        var chart = Get(timeframe);
        var span = chart.Candles.Span;
        var n = Math.Min(Math.Min(span.Length, chart.Rules.LiveBufferSize), destination.Length);
        span[^n..].CopyTo(destination);
        return n;
    }

    /// <summary>Merges what the store held for a chart (its chart and its live buffer) under anything the book holds.</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <param name="chart">The stored chart.</param>
    /// <param name="liveBuffer">The stored live buffer: the newest candles, newer than the chart's copy of them.</param>
    /// <param name="now">The time now.</param>
    /// <returns>What changed and what was turned away.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public HistoryOutcome Restore(Timeframe timeframe, ReadOnlySpan<Candle> chart, ReadOnlySpan<Candle> liveBuffer, DateTimeOffset now)
    {
        var target = Get(timeframe);
        var rejections = new CandleRejectionCounts();
        var held = target.Candles.Span;
        var all = ArrayPool<Candle>.Shared.Rent(Math.Max(1, chart.Length + liveBuffer.Length + held.Length));
        try
        {
            // Later inputs win: the stored chart, then the live buffer stored after it, then what the book already holds.
            var n = Admit(target, chart, now, rejections, all);
            n += Admit(target, liveBuffer, now, rejections, all.AsSpan(n));
            var restored = WithoutOutliers(target, all.AsSpan(0, n), now, rejections);
            restored.CopyTo(all);
            n = restored.Length;
            held.CopyTo(all.AsSpan(n));
            var merged = CandleSeries.Normalize(all.AsSpan(0, n + held.Length), timeframe, target.Rules, now);
            rejections.AddAll(merged.Rejections);
            var changed = Replace(target, merged.Candles) ? TimeframeSet.Empty.With(timeframe) : TimeframeSet.Empty;
            return new HistoryOutcome(timeframe, chart.Length + liveBuffer.Length, rejections, changed.Union(RederiveAbove(target, now)), false, target.Candles.Count);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(all);
        }
    }

    /// <summary>Merges a history answer into a chart; an empty answer makes the timeframe derived.</summary>
    /// <param name="timeframe">A timeframe of the book.</param>
    /// <param name="history">The answer's candles, in source order.</param>
    /// <param name="now">The time now.</param>
    /// <returns>What changed and what was turned away.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public HistoryOutcome ApplyHistory(Timeframe timeframe, ReadOnlySpan<Candle> history, DateTimeOffset now)
    {
        var target = Get(timeframe);
        var rejections = new CandleRejectionCounts();
        if (history.IsEmpty)
        {
            if (target.Source is null)
            {
                return new HistoryOutcome(timeframe, 0, rejections, TimeframeSet.Empty, false, target.Candles.Count);
            }

            target.Derived = true;
            var derived = Derive(target, now) ? TimeframeSet.Empty.With(timeframe) : TimeframeSet.Empty;
            return new HistoryOutcome(timeframe, 0, rejections, derived.Union(RederiveAbove(target, now)), true, target.Candles.Count);
        }

        target.Derived = false;
        var admitted = ArrayPool<Candle>.Shared.Rent(history.Length);
        try
        {
            var n = DropHeldNewest(target, admitted.AsSpan(0, Admit(target, history, now, rejections, admitted)));
            var answer = WithoutOutliers(target, admitted.AsSpan(0, n), now, rejections);
            var merged = CandleSeries.Merge(target.Candles.Span, answer, timeframe, target.Rules, now);
            rejections.AddAll(merged.Rejections);
            var changed = Replace(target, merged.Candles) ? TimeframeSet.Empty.With(timeframe) : TimeframeSet.Empty;
            if (!changed.IsEmpty)
            {
                var (from, to) = Span(answer);
                changed = changed.Union(FillAbove(target, from, to));
            }

            return new HistoryOutcome(timeframe, history.Length, rejections, changed.Union(RederiveAbove(target, now)), false, target.Candles.Count);
        }
        finally
        {
            ArrayPool<Candle>.Shared.Return(admitted);
        }
    }

    /// <summary>Applies a live candle of any timeframe of the book, and carries it to the coarser ones.</summary>
    /// <param name="timeframe">The candle's timeframe.</param>
    /// <param name="candle">The candle.</param>
    /// <param name="now">The time now.</param>
    /// <returns>Whether it was applied, and the charts that changed.</returns>
    /// <exception cref="ArgumentException">The book has no chart for <paramref name="timeframe"/>.</exception>
    public LiveOutcome ApplyCandle(Timeframe timeframe, in Candle candle, DateTimeOffset now)
    {
        var target = Get(timeframe);
        if (candle.OpenTime > target.FutureLimit(now.ToUnixTimeSeconds()))
        {
            return new LiveOutcome(CandleRejection.InFuture, TimeframeSet.Empty);
        }

        SyncLive(target);
        var rejection = target.Live.ApplyCandle(candle);
        if (rejection == CandleRejection.None && target.Source is not null)
        {
            target.DirectOpenTime = Math.Max(target.DirectOpenTime, timeframe.Floor(candle.OpenTime));
        }

        return rejection == CandleRejection.None
            ? new LiveOutcome(rejection, Publish(target, timeframe.Floor(candle.OpenTime)))
            : new LiveOutcome(rejection, TimeframeSet.Empty);
    }

    /// <summary>Applies a tick to the finest timeframe, and carries it to the coarser ones.</summary>
    /// <param name="tick">The tick.</param>
    /// <param name="now">The time now.</param>
    /// <returns>Whether it was applied, and the charts that changed.</returns>
    public LiveOutcome ApplyTick(in Tick tick, DateTimeOffset now)
    {
        var target = _charts[0];
        if (UnixTime.FloorDiv(tick.EventTimeMs, 1000) > target.FutureLimit(now.ToUnixTimeSeconds()))
        {
            return new LiveOutcome(CandleRejection.InFuture, TimeframeSet.Empty);
        }

        SyncLive(target);
        var rejection = target.Live.ApplyTick(tick);
        return rejection == CandleRejection.None
            ? new LiveOutcome(rejection, Publish(target, target.Timeframe.Floor(UnixTime.FloorDiv(tick.EventTimeMs, 1000))))
            : new LiveOutcome(rejection, TimeframeSet.Empty);
    }

    /// <summary>Drops the candles that left the window, and any beyond a chart's depth; derived charts follow their sources.</summary>
    /// <param name="now">The time now.</param>
    /// <returns>The charts that changed.</returns>
    public TimeframeSet Trim(DateTimeOffset now)
    {
        var changed = TimeframeSet.Empty;
        foreach (var chart in _charts)
        {
            if (chart.Candles.TrimBefore(WindowStart(chart, now)) | chart.Candles.KeepLast(chart.Spec.Depth))
            {
                changed = changed.With(chart.Timeframe).Union(RederiveAbove(chart, now));
            }
        }

        return changed;
    }

    private BookChart Get(Timeframe timeframe) =>
        _byOrdinal[timeframe.Ordinal] ?? throw new ArgumentException($"The book has no {timeframe} chart.", nameof(timeframe));

    private static long WindowStart(BookChart chart, DateTimeOffset now) => (now - chart.Rules.HistoryWindow).ToUnixTimeSeconds();

    /// <summary>Copies the inputs that do not open in the future into <paramref name="destination"/>; counts the others.</summary>
    private static int Admit(BookChart chart, ReadOnlySpan<Candle> input, DateTimeOffset now, CandleRejectionCounts rejections, Span<Candle> destination)
    {
        var limit = chart.FutureLimit(now.ToUnixTimeSeconds());
        var n = 0;
        foreach (ref readonly var candle in input)
        {
            if (candle.OpenTime > limit)
            {
                rejections.Add(CandleRejection.InFuture);
                continue;
            }

            destination[n++] = candle;
        }

        return n;
    }

    /// <summary>
    /// Drops the outliers from incoming candles when the chart's history rules say so: the candles are put in order
    /// (normalised with no optional rule, which counts the invalid ones as the merge would) and judged among
    /// themselves. Only incoming candles are judged, so a candle the chart holds is never removed later. Returns
    /// <paramref name="incoming"/> itself when the rule is off.
    /// </summary>
    private static ReadOnlySpan<Candle> WithoutOutliers(BookChart chart, ReadOnlySpan<Candle> incoming, DateTimeOffset now, CandleRejectionCounts rejections)
    {
        var rules = chart.Rules;
        if ((rules.History & RuleSet.OutlierRejection) == 0 || double.IsPositiveInfinity(rules.MaxOutlierRatio) || incoming.IsEmpty)
        {
            return incoming;
        }

        var ordered = CandleSeries.Normalize(incoming, chart.Timeframe, rules with { History = RuleSet.None }, now);
        rejections.AddAll(ordered.Rejections);
        var candles = ordered.Candles;
        return candles.AsSpan(0, CandleSeries.RejectOutliers(candles, rules.MaxOutlierRatio, rejections));
    }

    /// <summary>
    /// Drops the answer's newest candle when the chart holds that interval already: it may be a snapshot of an
    /// interval that was still forming when the answer was made, which the live stream has built further since or
    /// will build (taking the snapshot would count the trades delivered after it twice). Returns the new length.
    /// </summary>
    private static int DropHeldNewest(BookChart chart, Span<Candle> admitted)
    {
        if (chart.Candles.Count == 0 || admitted.IsEmpty)
        {
            return admitted.Length;
        }

        var newest = long.MinValue;
        foreach (ref readonly var candle in admitted)
        {
            newest = Math.Max(newest, candle.OpenTime);
        }

        newest = chart.Timeframe.Floor(newest);
        if (!chart.Candles.TryGet(newest, out _))
        {
            return admitted.Length;
        }

        var n = 0;
        foreach (ref readonly var candle in admitted)
        {
            if (chart.Timeframe.Floor(candle.OpenTime) != newest)
            {
                admitted[n++] = candle;
            }
        }

        return n;
    }

    /// <summary>Replaces a chart after a merge; the live series will seed again from it. True when it changed.</summary>
    private static bool Replace(BookChart chart, Candle[] candles)
    {
        if (chart.Candles.Span.SequenceEqual(candles))
        {
            return false;
        }

        chart.Candles.Set(candles);
        chart.Candles.KeepLast(chart.Spec.Depth);
        chart.LiveInSync = false;
        return true;
    }

    private static void SyncLive(BookChart chart)
    {
        if (!chart.LiveInSync)
        {
            var span = chart.Candles.Span;
            chart.Live.Seed(span[Math.Max(0, span.Length - chart.Rules.LiveBufferSize)..]);
            chart.LiveInSync = true;
        }
    }

    /// <summary>Writes the live series' candle of <paramref name="openTime"/> into the chart and carries it up the chain.</summary>
    private static TimeframeSet Publish(BookChart chart, long openTime)
    {
        if (!chart.Live.TryGet(openTime, out var candle))
        {
            return TimeframeSet.Empty;
        }

        if (!chart.Candles.Upsert(candle))
        {
            return TimeframeSet.Empty;
        }

        chart.Candles.KeepLast(chart.Spec.Depth);
        return Propagate(chart, openTime).With(chart.Timeframe);
    }

    private static TimeframeSet Propagate(BookChart source, long openTime)
    {
        var changed = TimeframeSet.Empty;
        Span<Candle> aggregate = stackalloc Candle[1];
        foreach (var target in source.Targets)
        {
            var bucket = target.Timeframe.Floor(openTime);
            if (bucket <= target.DirectOpenTime && !target.Derived)
            {
                // The feed streams this timeframe itself: its candle of the interval is the more complete one.
                continue;
            }

            if (!source.Covers(bucket) && !target.Derived)
            {
                // The finer chart starts inside the bucket: its aggregate would understate the bucket, so the
                // coarser chart keeps its own candle.
                continue;
            }

            var fine = source.Candles.Range(bucket, bucket + target.Timeframe.Seconds);
            if (fine.IsEmpty)
            {
                continue;
            }

            CandleAggregation.Aggregate(fine, source.Timeframe, target.Timeframe, aggregate);
            if (target.Candles.Upsert(aggregate[0]))
            {
                target.Candles.KeepLast(target.Spec.Depth);
                target.LiveInSync = false;
                changed = changed.With(target.Timeframe).Union(Propagate(target, bucket));
            }
        }

        return changed;
    }

    /// <summary>
    /// Fills the intervals the coarser charts lack between <paramref name="from"/> and <paramref name="to"/> with the
    /// aggregation of <paramref name="source"/>'s candles, up the chain: a coarser answer made before a finer one
    /// (a backfill answered in pieces, a slow server) lacks the intervals that closed in between, and the live
    /// candles that waited for the backfill change nothing once it is merged, so nothing else would carry them up.
    /// A candle a coarser chart holds is kept: only holes are filled.
    /// </summary>
    private static TimeframeSet FillAbove(BookChart source, long from, long to)
    {
        var changed = TimeframeSet.Empty;
        if (from > to || source.Candles.Count == 0)
        {
            return changed;
        }

        Span<Candle> aggregate = stackalloc Candle[1];
        foreach (var target in source.Targets)
        {
            long filledFrom = long.MaxValue, filledTo = long.MinValue;
            var length = target.Timeframe.Seconds;
            for (var bucket = Math.Max(target.Timeframe.Floor(from), target.Timeframe.Floor(source.Candles.First.OpenTime)); bucket <= to; bucket += length)
            {
                if (target.Derived || !source.Covers(bucket) || target.Candles.TryGet(bucket, out _))
                {
                    continue;
                }

                var fine = source.Candles.Range(bucket, bucket + length);
                if (fine.IsEmpty)
                {
                    continue;
                }

                CandleAggregation.Aggregate(fine, source.Timeframe, target.Timeframe, aggregate);
                target.Candles.Upsert(aggregate[0]);
                filledFrom = Math.Min(filledFrom, bucket);
                filledTo = Math.Max(filledTo, bucket);
            }

            if (filledFrom <= filledTo)
            {
                target.Candles.KeepLast(target.Spec.Depth);
                target.LiveInSync = false;
                changed = changed.With(target.Timeframe).Union(FillAbove(target, filledFrom, filledTo));
            }
        }

        return changed;
    }

    private static (long From, long To) Span(ReadOnlySpan<Candle> candles)
    {
        long from = long.MaxValue, to = long.MinValue;
        foreach (ref readonly var candle in candles)
        {
            from = Math.Min(from, candle.OpenTime);
            to = Math.Max(to, candle.OpenTime);
        }

        return (from, to);
    }

    /// <summary>Rebuilds every derived timeframe coarser than <paramref name="changed"/>, finest first.</summary>
    private TimeframeSet RederiveAbove(BookChart changed, DateTimeOffset now)
    {
        var result = TimeframeSet.Empty;
        foreach (var chart in _charts)
        {
            if (chart.Derived && chart.Timeframe > changed.Timeframe && Derive(chart, now))
            {
                result = result.With(chart.Timeframe);
            }
        }

        return result;
    }

    /// <summary>Merges the aggregation of the nearest finer timeframe that has candles over a derived chart. True when it changed.</summary>
    private bool Derive(BookChart chart, DateTimeOffset now)
    {
        if (FindDerivationSource(chart) is not { } source)
        {
            return false;
        }

        var aggregated = CandleAggregation.Aggregate(source.Candles.Span, source.Timeframe, chart.Timeframe).AsSpan();
        if (aggregated.Length > 0 && aggregated[0].OpenTime != source.Candles.First.OpenTime && chart.Candles.TryGet(aggregated[0].OpenTime, out _))
        {
            // The source starts inside its first bucket: the candle held for it is more complete than the aggregate.
            aggregated = aggregated[1..];
        }

        var union = CandleSeries.Union(chart.Candles.Span, aggregated, WindowStart(chart, now));
        return Replace(chart, union);
    }

    private BookChart? FindDerivationSource(BookChart chart)
    {
        for (var i = Array.IndexOf(_charts, chart) - 1; i >= 0; i--)
        {
            if (_charts[i].Timeframe.Divides(chart.Timeframe) && _charts[i].Candles.Count > 0)
            {
                return _charts[i];
            }
        }

        return null;
    }
}
