using System.Runtime.CompilerServices;

namespace OrderFlow.Databento;

/// <summary>Record framing shared by every reader: the length byte, the bounds and the per-rtype minimum sizes.</summary>
internal static class DbnFraming
{
    // Minimum record length per rtype, one table per DBN version (index 0 unused), so the hot path is one load.
    private static readonly ushort[][] MinSizes = BuildTables();

    /// <summary>
    /// Checks the record at the start of <paramref name="available"/>: returns its length, or 0 when more bytes
    /// are needed (only when <paramref name="isFinal"/> is false). Throws <see cref="DbnFormatException"/> for a
    /// zero or too-short length, a record cut off by the end of final data, or a record shorter than its rtype's
    /// layout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Check(ReadOnlySpan<byte> available, byte version, long offset, bool isFinal)
    {
        if (available.IsEmpty)
        {
            return 0;
        }

        var words = available[0];
        var length = words * 4;
        if (length < DbnConstants.RecordHeaderSize)
        {
            ThrowHelper.ThrowBadRecordLength(words, offset);
        }

        if (available.Length < length)
        {
            if (isFinal)
            {
                ThrowHelper.ThrowTruncatedRecord(length, available.Length, offset);
            }

            return 0;
        }

        var rtype = available[1];
        var min = MinSizes[version][rtype];
        if (length < min)
        {
            ThrowHelper.ThrowRecordTooShort(rtype, min, length, offset);
        }

        return length;
    }

    public static void CheckVersion(byte version, string paramName)
    {
        if (version is < 1 or > DbnConstants.MaxVersion)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, version, $"DBN versions 1 to {DbnConstants.MaxVersion} are supported.");
        }
    }

    private static ushort[][] BuildTables()
    {
        var tables = new ushort[DbnConstants.MaxVersion + 1][];
        tables[0] = new ushort[256];
        for (byte v = 1; v <= DbnConstants.MaxVersion; v++)
        {
            var table = new ushort[256];
            for (var rtype = 0; rtype < 256; rtype++)
            {
                table[rtype] = (ushort)DbnRType.MinSize((byte)rtype, v);
            }

            tables[v] = table;
        }

        return tables;
    }
}
