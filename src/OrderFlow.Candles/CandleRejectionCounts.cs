namespace OrderFlow.Candles;

/// <summary>
/// How many inputs were rejected, by <see cref="CandleRejection"/> reason.
/// </summary>
/// <remarks>
/// Filled by the normaliser and the live series, read by callers that export metrics or logs. Not thread-safe:
/// each instance belongs to the object that fills it.
/// </remarks>
public sealed class CandleRejectionCounts
{
    private static readonly CandleRejection[] s_reasons = Enum.GetValues<CandleRejection>();
    private readonly long[] _counts = new long[s_reasons.Length];

    /// <summary>The number of inputs rejected for <paramref name="reason"/>; 0 for <see cref="CandleRejection.None"/>.</summary>
    /// <param name="reason">A rejection reason.</param>
    /// <returns>The count, or 0 for an unknown reason.</returns>
    public long this[CandleRejection reason] => (uint)reason < (uint)_counts.Length ? _counts[(int)reason] : 0;

    /// <summary>The number of rejected inputs, all reasons together.</summary>
    public long Total { get; private set; }

    /// <summary>The reasons that have a non-zero count, with their counts, in enum order.</summary>
    /// <returns>The non-zero counts.</returns>
    public IEnumerable<KeyValuePair<CandleRejection, long>> NonZero()
    {
        for (var i = 1; i < _counts.Length; i++)
        {
            if (_counts[i] != 0)
            {
                yield return new KeyValuePair<CandleRejection, long>(s_reasons[i], _counts[i]);
            }
        }
    }

    /// <summary>Formats the non-zero counts, e.g. <c>Spike=3, Late=1</c>, or <c>none</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Total == 0 ? "none" : string.Join(", ", NonZero().Select(p => $"{p.Key}={p.Value}"));

    internal void AddAll(CandleRejectionCounts other)
    {
        for (var i = 1; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Total += other.Total;
    }

    internal void Add(CandleRejection reason)
    {
        if (reason != CandleRejection.None && (uint)reason < (uint)_counts.Length)
        {
            _counts[(int)reason]++;
            Total++;
        }
    }
}
