namespace OrderFlow.Databento;

/// <summary>Constants of the DBN encoding: sentinels, scales and sizes.</summary>
/// <seealso href="https://databento.com/docs/standards-and-conventions/databento-binary-encoding"/>
public static class DbnConstants
{
    /// <summary>The newest DBN version this package reads and writes: 3.</summary>
    public const byte MaxVersion = 3;

    /// <summary>The number of fixed-point price units in one: 1,000,000,000 (1 unit = 1e-9).</summary>
    public const long FixedPriceScale = 1_000_000_000;

    /// <summary>The price sentinel meaning "no price": <see cref="long.MaxValue"/>.</summary>
    public const long UndefPrice = long.MaxValue;

    /// <summary>The timestamp sentinel meaning "no time": <see cref="ulong.MaxValue"/>.</summary>
    public const ulong UndefTimestamp = ulong.MaxValue;

    /// <summary>The size of the record header every record starts with: 16 bytes.</summary>
    public const int RecordHeaderSize = 16;

    /// <summary>The largest record DBN can describe: 255 words of 4 bytes, 1,020 bytes.</summary>
    public const int MaxRecordSize = 255 * 4;

    /// <summary>The length of symbol fields in DBN version 1: 22 bytes, NUL-terminated.</summary>
    public const int SymbolCstrLenV1 = 22;

    /// <summary>The length of symbol fields in DBN versions 2 and 3: 71 bytes, NUL-terminated.</summary>
    public const int SymbolCstrLenV2 = 71;

    /// <summary>The first four bytes of a zstd frame, read as a little-endian <see cref="uint"/>: 0xFD2FB528.</summary>
    public const uint ZstdMagic = 0xFD2FB528;

    /// <summary>Nanoseconds in one second.</summary>
    public const long NanosPerSecond = 1_000_000_000;
}
