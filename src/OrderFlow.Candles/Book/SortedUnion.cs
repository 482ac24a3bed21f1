namespace OrderFlow.Candles.Book;

/// <summary>The union of two ascending candle series, the newer one winning on the same open time: no rules applied.</summary>
internal static class SortedUnion
{
    /// <summary>Merges <paramref name="older"/> and <paramref name="newer"/>, dropping candles that open before <paramref name="from"/>.</summary>
    public static Candle[] Merge(ReadOnlySpan<Candle> older, ReadOnlySpan<Candle> newer, long from)
    {
        var result = new List<Candle>(older.Length + newer.Length);
        int i = 0, j = 0;
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
                result.Add(next);
            }
        }

        return [.. result];
    }
}
