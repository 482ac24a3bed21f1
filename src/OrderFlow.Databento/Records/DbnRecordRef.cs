using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>
/// One DBN record as a view over its bytes: the header, the rtype and typed access to the body. Valid until the
/// reader that returned it reads the next record or refills its buffer.
/// </summary>
/// <remarks>
/// <para>
/// Fixed-layout records (<see cref="OhlcvMsg"/>, <see cref="TradeMsg"/>, <see cref="Mbp1Msg"/>) are read with
/// <see cref="As{T}"/>/<see cref="TryAs{T}"/> (a copy of a few dozen bytes) or <see cref="AsRef{T}"/> (no copy).
/// Version-dependent records are read with <see cref="TryGetSymbolMapping"/>, <see cref="TryGetGatewayText"/> and
/// <see cref="TryGetInstrumentDef"/>. Nothing here allocates.
/// </para>
/// <para>
/// The reader has already checked that the record is at least as long as its rtype's layout in its DBN version,
/// so typed access never reads past the record.
/// </para>
/// </remarks>
public readonly ref struct DbnRecordRef
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly long _offset;
    private readonly byte _version;
    private readonly bool _tsOut;

    internal DbnRecordRef(ReadOnlySpan<byte> bytes, byte version, bool tsOut, long offset)
    {
        _bytes = bytes;
        _version = version;
        _tsOut = tsOut;
        _offset = offset;
    }

    /// <summary>The record's bytes (header included, <c>ts_out</c> included when present).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The record header.</summary>
    public RecordHeader Header => ReadHeader(_bytes);

    /// <summary>The record type (see <see cref="DbnRType"/>).</summary>
    public byte RType => _bytes[1];

    /// <summary>The instrument id of the header.</summary>
    public uint InstrumentId => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[4..]);

    /// <summary>The event time of the header, in nanoseconds since the Unix epoch.</summary>
    public ulong TsEvent => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[8..]);

    /// <summary>The DBN version of the stream the record came from.</summary>
    public byte Version => _version;

    /// <summary>The byte offset of the record in the decompressed stream.</summary>
    public long Offset => _offset;

    /// <summary>The gateway send time appended to the record when the metadata says <c>ts_out</c>, else <see langword="null"/>.</summary>
    public ulong? TsOut => _tsOut && _bytes.Length >= DbnConstants.RecordHeaderSize + 8
        ? BinaryPrimitives.ReadUInt64LittleEndian(_bytes[^8..])
        : null;

    /// <summary>Whether the record has the layout of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">A fixed-layout record type.</typeparam>
    /// <returns>Whether <see cref="As{T}"/> would succeed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Is<T>()
        where T : unmanaged, IDbnRecord => T.HasRType(_bytes[1]) && _bytes.Length >= T.EncodedSize;

    /// <summary>Reads the record as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">A fixed-layout record type.</typeparam>
    /// <returns>A copy of the record.</returns>
    /// <exception cref="InvalidOperationException">The record's rtype is not one of <typeparamref name="T"/>'s.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T As<T>()
        where T : unmanaged, IDbnRecord
    {
        if (!Is<T>())
        {
            ThrowWrongType(typeof(T), _bytes[1]);
        }

        return MemoryMarshal.Read<T>(_bytes);
    }

    /// <summary>Reads the record as <typeparamref name="T"/> when it has that layout.</summary>
    /// <typeparam name="T">A fixed-layout record type.</typeparam>
    /// <param name="record">The record, or <c>default</c>.</param>
    /// <returns>Whether the rtype matched.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAs<T>(out T record)
        where T : unmanaged, IDbnRecord
    {
        if (Is<T>())
        {
            record = MemoryMarshal.Read<T>(_bytes);
            return true;
        }

        record = default;
        return false;
    }

    /// <summary>A read-only reference to the record as <typeparamref name="T"/>, straight over the bytes (no copy).</summary>
    /// <typeparam name="T">A fixed-layout record type.</typeparam>
    /// <returns>The reference; valid as long as this view.</returns>
    /// <exception cref="InvalidOperationException">The record's rtype is not one of <typeparamref name="T"/>'s.</exception>
    public ref readonly T AsRef<T>()
        where T : unmanaged, IDbnRecord
    {
        if (!Is<T>())
        {
            ThrowWrongType(typeof(T), _bytes[1]);
        }

        return ref MemoryMarshal.AsRef<T>(_bytes);
    }

    /// <summary>Reads a symbol mapping record (rtype 0x16).</summary>
    /// <param name="view">The view, or <c>default</c>.</param>
    /// <returns>Whether this is a symbol mapping.</returns>
    public bool TryGetSymbolMapping(out SymbolMappingView view)
    {
        view = RType == DbnRType.SymbolMapping ? new SymbolMappingView(_bytes, _version) : default;
        return RType == DbnRType.SymbolMapping;
    }

    /// <summary>Reads an error (rtype 0x15) or system (rtype 0x17) message.</summary>
    /// <param name="view">The view, or <c>default</c>.</param>
    /// <returns>Whether this is an error or system message.</returns>
    public bool TryGetGatewayText(out GatewayTextView view)
    {
        var ok = RType is DbnRType.Error or DbnRType.System;
        view = ok ? new GatewayTextView(_bytes, _version) : default;
        return ok;
    }

    /// <summary>Reads an instrument definition (rtype 0x13).</summary>
    /// <param name="view">The view, or <c>default</c>.</param>
    /// <returns>Whether this is an instrument definition.</returns>
    public bool TryGetInstrumentDef(out InstrumentDefView view)
    {
        view = RType == DbnRType.InstrumentDef ? new InstrumentDefView(_bytes, _version) : default;
        return RType == DbnRType.InstrumentDef;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RecordHeader ReadHeader(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<RecordHeader>(bytes);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowWrongType(Type type, byte rtype) =>
        ThrowHelper.ThrowInvalidOperation($"A record of rtype 0x{rtype:X2} ({DbnRType.Describe(rtype)}) cannot be read as {type.Name}; check Is<T>() or use TryAs<T>().");
}
