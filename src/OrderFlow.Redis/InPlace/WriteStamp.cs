namespace OrderFlow.Redis.InPlace;

/// <summary>
/// The last <see cref="Length"/> bytes of every array value the store writes (a chart, a live buffer): JSON whitespace
/// (space, tab, line feed, carriage return, two bits each) that spells a random 64-bit number drawn for each write. Any
/// JSON parser skips it; the store reads it back to know that a key still holds exactly what it last wrote before it
/// changes that value in place.
/// </summary>
/// <remarks>
/// A length check alone would not do: a value restored from an older snapshot, or written whole by another process,
/// can have the same length and a different layout, and bytes written into it at the old offsets would break the
/// JSON. A fresh random stamp on every write, in place or whole, tells them apart.
/// </remarks>
internal static class WriteStamp
{
    /// <summary>The stamp's size in bytes.</summary>
    public const int Length = 32;

    private static ReadOnlySpan<byte> Alphabet => " \t\n\r"u8;

    /// <summary>A new stamp value.</summary>
    public static ulong Next() => (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.Next() << 63);

    /// <summary>Writes the stamp of <paramref name="value"/> into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void Write(ulong value, Span<byte> destination)
    {
        for (var i = 0; i < Length; i++)
        {
            destination[i] = Alphabet[(int)((value >> (2 * i)) & 3)];
        }
    }

    /// <summary>The stamp of <paramref name="value"/> as an array.</summary>
    public static byte[] ToArray(ulong value)
    {
        var bytes = new byte[Length];
        Write(value, bytes);
        return bytes;
    }
}
