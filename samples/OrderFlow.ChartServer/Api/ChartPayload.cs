using System.Globalization;
using System.IO.Compression;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// One 1-year series as sent: the envelope around the stored bytes (never parsed, never copied), a weak ETag made from
/// the store's version, and the Brotli and gzip encodings, each made once per version, on first demand, and then shared
/// by every response until the series changes.
/// </summary>
internal sealed class ChartPayload
{
    // Bumped when the envelope changes, so a browser's copy in the old shape is never answered 304.
    private const string EnvelopeGeneration = "c1";

    private static readonly byte[] s_suffix = ApiJson.Suffix.ToArray();

    private readonly byte[] _prefix;

    // The stored array without the whitespace the store leaves after it (padding, its write stamp): the bytes sent.
    private readonly ReadOnlyMemory<byte> _array;
    private readonly Lazy<byte[]> _brotli;
    private readonly Lazy<byte[]> _gzip;

    public ChartPayload(SeriesKey key, StoredChart chart)
    {
        _prefix = ApiJson.ChartPrefix(key);
        Chart = chart;
        _array = chart.Json.TrimEnd(" \t\r\n"u8);
        ETag = string.Create(CultureInfo.InvariantCulture, $"W/\"{EnvelopeGeneration}-{chart.Version:x32}\"");
        _brotli = new Lazy<byte[]>(() => Compress(static s => new BrotliStream(s, CompressionLevel.Fastest, leaveOpen: true)));
        _gzip = new Lazy<byte[]>(() => Compress(static s => new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true)));
    }

    /// <summary>The stored chart inside the envelope.</summary>
    public StoredChart Chart { get; }

    /// <summary>The weak entity tag, quotes included: <c>W/"c1-…"</c>, the envelope's generation and the store's version.</summary>
    public string ETag { get; }

    /// <summary>The length of the uncompressed JSON: envelope and stored bytes.</summary>
    public long Length => _prefix.Length + _array.Length + ApiJson.Suffix.Length;

    /// <summary>The JSON compressed with Brotli.</summary>
    public byte[] Brotli => _brotli.Value;

    /// <summary>The JSON compressed with gzip.</summary>
    public byte[] Gzip => _gzip.Value;

    /// <summary>Writes the uncompressed JSON: the envelope's start, the stored bytes as they are, the envelope's end.</summary>
    public async Task WriteJsonAsync(Stream body, CancellationToken cancellationToken)
    {
        await body.WriteAsync(_prefix, cancellationToken);
        await body.WriteAsync(_array, cancellationToken);
        await body.WriteAsync(s_suffix, cancellationToken);
    }

    private byte[] Compress(Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream((int)(Length / 4));
        using (var stream = encoder(output))
        {
            stream.Write(_prefix);
            stream.Write(_array.Span);
            stream.Write(ApiJson.Suffix);
        }

        return output.ToArray();
    }
}
