using System.IO.Compression;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// One serialised 1-year series, as sent: the JSON bytes, a weak ETag (XxHash128 of the bytes) and the Brotli and
/// gzip encodings, each made once, on first demand, and then shared by every response until the series changes.
/// </summary>
internal sealed class ChartPayload
{
    private readonly Lazy<byte[]> _brotli;
    private readonly Lazy<byte[]> _gzip;

    public ChartPayload(byte[] json, string etag, int count)
    {
        Json = json;
        ETag = etag;
        Count = count;
        _brotli = new Lazy<byte[]>(() => Compress(json, static s => new BrotliStream(s, CompressionLevel.Fastest, leaveOpen: true)));
        _gzip = new Lazy<byte[]>(() => Compress(json, static s => new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true)));
    }

    /// <summary>The UTF-8 JSON.</summary>
    public byte[] Json { get; }

    /// <summary>The weak entity tag, quotes included: <c>W/"…"</c>.</summary>
    public string ETag { get; }

    /// <summary>How many candles the series holds.</summary>
    public int Count { get; }

    /// <summary>The JSON compressed with Brotli.</summary>
    public byte[] Brotli => _brotli.Value;

    /// <summary>The JSON compressed with gzip.</summary>
    public byte[] Gzip => _gzip.Value;

    private static byte[] Compress(byte[] json, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream(json.Length / 4);
        using (var stream = encoder(output))
        {
            stream.Write(json);
        }

        return output.ToArray();
    }
}
