namespace OrderFlow.Candles.Book;

/// <summary>
/// How a chart changed since a writer last took its changes (<see cref="ChartBook.TakeChanges"/>): its oldest
/// <see cref="Dropped"/> candles were removed, and the candles from index <see cref="FirstChanged"/> on (in the chart as
/// it is now) may differ from what the writer had; the ones before are the same. Enough to update a stored copy by
/// sending only what changed.
/// </summary>
/// <param name="IsReset">
/// True when the chart was replaced as a whole (or changes were never taken): anything may differ, and a writer must
/// send the whole chart. <see cref="Dropped"/> and <see cref="FirstChanged"/> are then 0.
/// </param>
/// <param name="Dropped">How many of the oldest candles were removed (the window and depth limits).</param>
/// <param name="FirstChanged">
/// The index of the first candle that may differ; the chart's count when none does. An over-estimate never misleads:
/// a candle changed and later removed, or changed back, may still be counted.
/// </param>
public readonly record struct ChartChanges(bool IsReset, int Dropped, int FirstChanged)
{
    /// <summary>Whether anything changed at all.</summary>
    /// <param name="count">The chart's count now.</param>
    /// <returns>True when the chart was reset, lost candles or has a changed candle.</returns>
    public bool Any(int count) => IsReset || Dropped > 0 || FirstChanged < count;

    /// <summary>A reset: anything may have changed.</summary>
    public static ChartChanges Reset { get; } = new(true, 0, 0);

    /// <summary>
    /// How <paramref name="after"/> differs from <paramref name="before"/> (both ascending by open time): the candles
    /// of <paramref name="before"/> older than <paramref name="after"/>'s oldest are dropped, and the first candle that
    /// differs after that is <see cref="FirstChanged"/>. A reset when either is empty or <paramref name="after"/>'s
    /// oldest open time is not one of <paramref name="before"/>'s (they do not line up).
    /// </summary>
    /// <param name="before">The candles as they were.</param>
    /// <param name="after">The candles as they are.</param>
    /// <returns>The changes that turn <paramref name="before"/> into <paramref name="after"/>.</returns>
    public static ChartChanges Between(ReadOnlySpan<Candle> before, ReadOnlySpan<Candle> after)
    {
        if (before.IsEmpty || after.IsEmpty)
        {
            return Reset;
        }

        var oldest = after[0].OpenTime;
        var dropped = 0;
        while (dropped < before.Length && before[dropped].OpenTime < oldest)
        {
            dropped++;
        }

        if (dropped == before.Length || before[dropped].OpenTime != oldest)
        {
            return Reset;
        }

        var same = Math.Min(before.Length - dropped, after.Length);
        var firstChanged = 0;
        while (firstChanged < same && before[dropped + firstChanged] == after[firstChanged])
        {
            firstChanged++;
        }

        return new ChartChanges(false, dropped, firstChanged);
    }
}
