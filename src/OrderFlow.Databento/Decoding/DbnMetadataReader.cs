using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OrderFlow.Databento;

/// <summary>Reads the DBN metadata header from bytes in memory.</summary>
/// <remarks>
/// The header is <c>DBN</c>, a version byte (1–3), a u32 length, then the fixed fields (100 bytes), the symbol
/// lists and the mappings; version 3 pads it to a multiple of 8 bytes. Errors are <see cref="DbnFormatException"/>s
/// with the byte offset of the bad field.
/// </remarks>
/// <seealso href="https://databento.com/docs/standards-and-conventions/databento-binary-encoding#metadata"/>
public static class DbnMetadataReader
{
    /// <summary>The length of the prefix that says how long the metadata is: 8 bytes.</summary>
    public const int PrefixLength = 8;

    /// <summary>
    /// The largest metadata length accepted: 16 MiB. Real metadata is kilobytes to a few megabytes even with many
    /// symbol mappings; a larger declared length is rejected at the 8-byte prefix (offset 4), before anything is
    /// buffered, so a small hostile (for example zstd-compressed) input cannot make a reader hold hundreds of megabytes.
    /// </summary>
    public const int MaxMetadataLength = 16 * 1024 * 1024;

    private const int FixedLength = 100;

    /// <summary>Reads the metadata at the start of <paramref name="data"/>, or reports that more bytes are needed.</summary>
    /// <param name="data">Uncompressed DBN bytes from the start of the stream.</param>
    /// <param name="metadata">The metadata, when complete.</param>
    /// <param name="bytesConsumed">The length of the metadata block (where the first record starts).</param>
    /// <returns><see langword="false"/> when <paramref name="data"/> ends before the metadata does.</returns>
    /// <exception cref="DbnFormatException">The bytes are not DBN metadata (bad magic, unsupported version, bad length or field).</exception>
    public static bool TryRead(ReadOnlySpan<byte> data, out DbnMetadata? metadata, out int bytesConsumed)
    {
        metadata = null;
        bytesConsumed = 0;
        var total = GetTotalLength(data);
        if (total < 0 || data.Length < total)
        {
            return false;
        }

        metadata = Parse(data[..total]);
        bytesConsumed = total;
        return true;
    }

    /// <summary>Reads the metadata at the start of a sequence, or reports that more bytes are needed.</summary>
    /// <param name="data">Uncompressed DBN bytes from the start of the stream.</param>
    /// <param name="metadata">The metadata, when complete.</param>
    /// <param name="consumed">The position after the metadata.</param>
    /// <returns><see langword="false"/> when the sequence ends before the metadata does.</returns>
    /// <exception cref="DbnFormatException">The bytes are not DBN metadata.</exception>
    public static bool TryRead(in ReadOnlySequence<byte> data, out DbnMetadata? metadata, out SequencePosition consumed)
    {
        metadata = null;
        consumed = data.Start;
        if (data.IsSingleSegment)
        {
            if (!TryRead(data.FirstSpan, out metadata, out var n))
            {
                return false;
            }

            consumed = data.GetPosition(n);
            return true;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        if (data.Length < PrefixLength)
        {
            data.CopyTo(prefix);
            GetTotalLength(prefix[..(int)data.Length]);
            return false;
        }

        data.Slice(0, PrefixLength).CopyTo(prefix);
        var total = GetTotalLength(prefix);
        if (data.Length < total)
        {
            return false;
        }

        // Once per stream: the metadata is copied to one array to be parsed.
        var copy = data.Slice(0, total).ToArray();
        metadata = Parse(copy);
        consumed = data.GetPosition(total);
        return true;
    }

    /// <summary>Reads complete metadata at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Uncompressed DBN bytes from the start of the stream.</param>
    /// <param name="bytesConsumed">The length of the metadata block.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="DbnFormatException">The bytes are not DBN metadata, or end before it does.</exception>
    public static DbnMetadata Read(ReadOnlySpan<byte> data, out int bytesConsumed)
    {
        if (!TryRead(data, out var metadata, out bytesConsumed))
        {
            var total = GetTotalLength(data);
            ThrowHelper.ThrowFormat(total < 0
                ? $"Input of {data.Length} bytes is shorter than the 8-byte DBN prefix"
                : $"Metadata length {total - PrefixLength} runs past the end of the input ({data.Length} bytes)", total < 0 ? data.Length : 4);
        }

        return metadata!;
    }

    /// <summary>
    /// Checks the 8-byte prefix and returns the total metadata length (prefix included), or -1 when fewer than 8
    /// bytes are available (after checking those that are).
    /// </summary>
    internal static int GetTotalLength(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> magic = "DBN"u8;
        var n = Math.Min(data.Length, 3);
        if (!data[..n].SequenceEqual(magic[..n]))
        {
            if (data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == DbnConstants.ZstdMagic)
            {
                ThrowHelper.ThrowFormat("The input is zstd-compressed; decompress it first (DbnDecoder does this itself)", 0);
            }

            ThrowHelper.ThrowFormat($"Not DBN: the input starts with {Hex(data[..Math.Min(data.Length, 4)])} instead of 'DBN'", 0);
        }

        if (data.Length < 4)
        {
            return -1;
        }

        var version = data[3];
        if (version is 0 or > DbnConstants.MaxVersion)
        {
            ThrowHelper.ThrowFormat($"Unsupported DBN version {version}: this decoder reads versions 1 to {DbnConstants.MaxVersion}", 3);
        }

        if (data.Length < PrefixLength)
        {
            return -1;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (length < FixedLength || length > MaxMetadataLength)
        {
            ThrowHelper.ThrowFormat($"Metadata length {length} is invalid (it must be at least {FixedLength} bytes and at most {MaxMetadataLength})", 4);
        }

        return (int)length + PrefixLength;
    }

    /// <summary>Parses a complete metadata block (prefix included).</summary>
    internal static DbnMetadata Parse(ReadOnlySpan<byte> block)
    {
        var version = block[3];
        var c = new Cursor(block, PrefixLength);
        var dataset = CStr.Decode(c.Bytes(16, "dataset"));
        var schema = c.U16("schema");
        var start = c.U64("start");
        var end = c.U64("end");
        var limit = c.U64("limit");
        int symbolLen;
        byte stypeIn, stypeOut;
        bool tsOut;
        if (version == 1)
        {
            c.Bytes(8, "record_count"); // deprecated: ignored, as upstream decoders do
            stypeIn = c.U8("stype_in");
            stypeOut = c.U8("stype_out");
            tsOut = c.U8("ts_out") != 0;
            symbolLen = DbnConstants.SymbolCstrLenV1;
        }
        else
        {
            stypeIn = c.U8("stype_in");
            stypeOut = c.U8("stype_out");
            tsOut = c.U8("ts_out") != 0;
            symbolLen = c.U16("symbol_cstr_len");
            if (symbolLen == 0)
            {
                ThrowHelper.ThrowFormat("symbol_cstr_len is 0", c.Position - 2);
            }
        }

        c.Position = PrefixLength + FixedLength; // reserved bytes
        var schemaDefinitionLength = c.U32("schema_definition_length");
        c.Bytes(schemaDefinitionLength, "schema_definition");
        var symbols = ReadSymbols(ref c, symbolLen, "symbols");
        var partial = ReadSymbols(ref c, symbolLen, "partial");
        var notFound = ReadSymbols(ref c, symbolLen, "not_found");
        var mappingCount = c.Count(symbolLen + 4, "mappings");
        var mappings = new DbnSymbolMapping[mappingCount];
        for (var i = 0; i < mappingCount; i++)
        {
            var raw = CStr.Decode(c.Bytes(symbolLen, "mapping raw_symbol"));
            var intervalCount = c.Count(8 + symbolLen, "mapping intervals");
            var intervals = new DbnMappingInterval[intervalCount];
            for (var j = 0; j < intervalCount; j++)
            {
                var startDate = c.Date("interval start_date");
                var endDate = c.Date("interval end_date");
                intervals[j] = new DbnMappingInterval(startDate, endDate, CStr.Decode(c.Bytes(symbolLen, "interval symbol")));
            }

            mappings[i] = new DbnSymbolMapping(raw, intervals);
        }

        // Anything left is version 3's padding to 8 bytes (or reserved space): ignored.
        return new DbnMetadata
        {
            Version = version,
            Dataset = dataset,
            Schema = schema == ushort.MaxValue ? null : (DbnSchema)schema,
            Start = start,
            End = end == DbnConstants.UndefTimestamp ? null : end,
            Limit = limit == 0 ? null : limit,
            STypeIn = stypeIn == byte.MaxValue ? null : (DbnSType)stypeIn,
            STypeOut = (DbnSType)stypeOut,
            TsOut = tsOut,
            SymbolCstrLen = symbolLen,
            Symbols = symbols,
            Partial = partial,
            NotFound = notFound,
            Mappings = mappings,
        };
    }

    private static string[] ReadSymbols(ref Cursor c, int symbolLen, string what)
    {
        var count = c.Count(symbolLen, what);
        var result = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = CStr.Decode(c.Bytes(symbolLen, what));
        }

        return result;
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "nothing (the input is empty)";
        }

        var sb = new StringBuilder("0x");
        foreach (var b in bytes)
        {
            sb.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>A bounds-checked reader over the metadata block; each overrun names the field and its offset.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> block, int position)
    {
        private readonly ReadOnlySpan<byte> _block = block;

        public int Position = position;

        public ReadOnlySpan<byte> Bytes(long length, string field)
        {
            if (length < 0 || length > _block.Length - Position)
            {
                ThrowHelper.ThrowFormat($"Metadata field '{field}' ({length} bytes) runs past the end of the metadata ({_block.Length} bytes)", Position);
            }

            var slice = _block.Slice(Position, (int)length);
            Position += (int)length;
            return slice;
        }

        public byte U8(string field) => Bytes(1, field)[0];

        public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, field));

        public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, field));

        public ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, field));

        /// <summary>Reads a count and checks that that many items of at least <paramref name="itemSize"/> bytes fit.</summary>
        public int Count(int itemSize, string field)
        {
            var at = Position;
            var count = U32(field + " count");
            if ((long)count * itemSize > _block.Length - Position)
            {
                ThrowHelper.ThrowFormat($"Metadata '{field}' count {count} runs past the end of the metadata ({_block.Length} bytes)", at);
            }

            return (int)count;
        }

        public DateOnly Date(string field)
        {
            var at = Position;
            var value = U32(field);
            int year = (int)(value / 10_000), month = (int)(value / 100 % 100), day = (int)(value % 100);
            if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                ThrowHelper.ThrowFormat($"Metadata '{field}' {value} is not a YYYYMMDD date", at);
            }

            return new DateOnly(year, month, day);
        }
    }
}
