using System.Text;

namespace OrderFlow.Candles.Book;

/// <summary>A set of timeframes (at most the six of <see cref="Timeframe.All"/>): which charts an update changed.</summary>
/// <remarks>A bit per <see cref="Timeframe.Ordinal"/>; a value type that never allocates.</remarks>
public readonly struct TimeframeSet : IEquatable<TimeframeSet>
{
    private readonly int _bits;

    private TimeframeSet(int bits) => _bits = bits;

    /// <summary>The empty set.</summary>
    public static TimeframeSet Empty => default;

    /// <summary>Whether the set is empty.</summary>
    public bool IsEmpty => _bits == 0;

    /// <summary>How many timeframes the set holds.</summary>
    public int Count => int.PopCount(_bits);

    /// <summary>Whether the set holds <paramref name="timeframe"/>.</summary>
    /// <param name="timeframe">The timeframe.</param>
    /// <returns>True when it does.</returns>
    public bool Contains(Timeframe timeframe) => (_bits & Bit(timeframe)) != 0;

    /// <summary>This set with <paramref name="timeframe"/> added.</summary>
    /// <param name="timeframe">The timeframe to add.</param>
    /// <returns>The new set.</returns>
    public TimeframeSet With(Timeframe timeframe) => new(_bits | Bit(timeframe));

    /// <summary>The union of this set and <paramref name="other"/>.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>The new set.</returns>
    public TimeframeSet Union(TimeframeSet other) => new(_bits | other._bits);

    /// <summary>The timeframes of the set, finest first.</summary>
    /// <returns>The timeframes.</returns>
    public IEnumerable<Timeframe> ToEnumerable()
    {
        foreach (var timeframe in Timeframe.All)
        {
            if (Contains(timeframe))
            {
                yield return timeframe;
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(TimeframeSet other) => _bits == other._bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TimeframeSet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bits;

    /// <summary>The names of the timeframes, finest first: <c>{1m, 5m}</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        foreach (var timeframe in ToEnumerable())
        {
            text.Append(text.Length > 1 ? ", " : string.Empty).Append(timeframe.Name);
        }

        return text.Append('}').ToString();
    }

    /// <summary>Whether two sets hold the same timeframes.</summary>
    /// <param name="left">A set.</param>
    /// <param name="right">Another set.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(TimeframeSet left, TimeframeSet right) => left.Equals(right);

    /// <summary>Whether two sets differ.</summary>
    /// <param name="left">A set.</param>
    /// <param name="right">Another set.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(TimeframeSet left, TimeframeSet right) => !left.Equals(right);

    private static int Bit(Timeframe timeframe) => 1 << timeframe.Ordinal;
}
