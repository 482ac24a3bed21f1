namespace OrderFlow.Databento;

/// <summary>
/// A text message from the Databento Live gateway: an error (rtype 0x15) or a system message (rtype 0x17, which
/// includes heartbeats). A view over the record's bytes, valid as long as they are.
/// </summary>
/// <remarks>
/// DBN version 1: 80 bytes, a 64-byte message. Versions 2 and 3: 320 bytes; an error has a 302-byte message, a
/// <c>code</c> byte and an <c>is_last</c> byte; a system message has a 303-byte message and a <c>code</c> byte.
/// </remarks>
public readonly ref struct GatewayTextView
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly byte _version;

    internal GatewayTextView(ReadOnlySpan<byte> bytes, byte version)
    {
        _bytes = bytes;
        _version = version;
    }

    /// <summary>The record size in a DBN version: 80 bytes for version 1, 320 otherwise.</summary>
    /// <param name="version">The DBN version.</param>
    /// <returns>The size in bytes.</returns>
    public static int SizeFor(byte version) => version < 2 ? 80 : 320;

    /// <summary>The record header.</summary>
    public RecordHeader Header => DbnRecordRef.ReadHeader(_bytes);

    /// <summary>Whether this is an error (rtype 0x15) rather than a system message (0x17).</summary>
    public bool IsError => _bytes[1] == DbnRType.Error;

    /// <summary>The message as UTF-8 bytes without the NUL padding.</summary>
    public ReadOnlySpan<byte> TextUtf8 => CStr.Trim(_version < 2 ? _bytes.Slice(16, 64) : _bytes.Slice(16, IsError ? 302 : 303));

    /// <summary>The message as a string (allocates).</summary>
    public string Text => CStr.Decode(TextUtf8);

    /// <summary>The error or system code, or <see langword="null"/> in version 1.</summary>
    public byte? Code => _version < 2 ? null : _bytes[IsError ? 318 : 319];

    /// <summary>For an error in version 2 or 3, whether it is the last of a series; otherwise <see langword="null"/>.</summary>
    public bool? IsLast => _version < 2 || !IsError ? null : _bytes[319] != 0;
}
