using OrderFlow.Candles.Serialization;

namespace OrderFlow.Redis;

/// <summary>
/// A stored 1-year chart as it is in the store: its UTF-8 JSON array of candles, unread, and a version that changes
/// whenever the bytes do. For passing the chart on (the chart server's responses) without parsing, validating and
/// writing 100,000 candles again.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Version"/> is the XxHash128 of <see cref="Json"/>, the same hash the store computes for its "unchanged
/// chart" check on save: equal versions mean equal bytes, so a reader decides "has it changed?" by comparing two
/// numbers. <see cref="InMemoryChartStore"/> keeps the hash it computed on save; <see cref="RedisChartStore"/> hashes
/// what it reads (another process may have written it), once per read.
/// </para>
/// <para>
/// The bytes passed only the cheap check of <see cref="CandleJsonReader.TryGetArrayShape"/> (a JSON array's brackets):
/// the store's own writer is trusted for the candles, and the sync engine reads and validates every stored chart when
/// it starts. Immutable; <see cref="Json"/> must not be written to.
/// </para>
/// </remarks>
public sealed class StoredChart
{
    /// <summary>Creates a stored chart from bytes that have the shape of a JSON array.</summary>
    /// <param name="json">The UTF-8 JSON array, as stored.</param>
    /// <param name="version">The XxHash128 of <paramref name="json"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> does not have the shape of a JSON array.</exception>
    public StoredChart(ReadOnlyMemory<byte> json, UInt128 version)
    {
        if (!CandleJsonReader.TryGetArrayShape(json.Span, out var isEmpty))
        {
            throw new ArgumentException($"The stored chart ({json.Length} bytes) does not have the shape of a JSON array ('[' … ']').", nameof(json));
        }

        Json = json;
        Version = version;
        IsEmpty = isEmpty;
    }

    /// <summary>The UTF-8 JSON array of candles, byte for byte as stored.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The XxHash128 of <see cref="Json"/>: equal versions, equal bytes.</summary>
    public UInt128 Version { get; }

    /// <summary>True when the array holds no candle (<c>[]</c>).</summary>
    public bool IsEmpty { get; }
}
