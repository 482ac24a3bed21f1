namespace OrderFlow.Databento;

/// <summary>
/// The metadata header at the start of every DBN file or stream: version, dataset, schema, time range, symbology
/// and the symbol mappings.
/// </summary>
/// <remarks>
/// <para>
/// Times are nanoseconds since the Unix epoch, UTC. Optional fields are <see langword="null"/> when DBN's sentinel
/// is on the wire: <see cref="Schema"/> (0xFFFF, a mixed-schema stream), <see cref="End"/> (u64::MAX),
/// <see cref="Limit"/> (0, no limit) and <see cref="STypeIn"/> (0xFF).
/// </para>
/// <para>
/// DBN version 1's deprecated <c>record_count</c> is ignored when reading and written as u64::MAX ("null"), as the
/// Databento encoder does. Version 3 pads the header to a multiple of 8 bytes.
/// </para>
/// <para>Instances are immutable once built; to write a stream, create one with an object initializer.</para>
/// </remarks>
/// <seealso href="https://databento.com/docs/standards-and-conventions/databento-binary-encoding#metadata"/>
public sealed class DbnMetadata
{
    /// <summary>The DBN version: 1, 2 or 3. Defaults to 3.</summary>
    public byte Version { get; init; } = DbnConstants.MaxVersion;

    /// <summary>The dataset code, such as <c>GLBX.MDP3</c> (at most 15 bytes).</summary>
    public string Dataset { get; init; } = string.Empty;

    /// <summary>The schema of every record, or <see langword="null"/> for a mixed-schema stream.</summary>
    public DbnSchema? Schema { get; init; }

    /// <summary>The start of the requested range, in nanoseconds since the Unix epoch.</summary>
    public ulong Start { get; init; }

    /// <summary>The end of the requested range (exclusive) in nanoseconds, or <see langword="null"/> when open.</summary>
    public ulong? End { get; init; }

    /// <summary>The requested record limit, or <see langword="null"/> for none.</summary>
    public ulong? Limit { get; init; }

    /// <summary>The symbology of the requested symbols, or <see langword="null"/> for none (Live mixed streams).</summary>
    public DbnSType? STypeIn { get; init; }

    /// <summary>The symbology of the records' instrument ids (usually <see cref="DbnSType.InstrumentId"/>).</summary>
    public DbnSType STypeOut { get; init; }

    /// <summary>Whether each record is followed by an 8-byte <c>ts_out</c> (the Live gateway's send time).</summary>
    public bool TsOut { get; init; }

    /// <summary>
    /// The length of fixed symbol fields in records and metadata: 22 in version 1, 71 in versions 2 and 3 by
    /// default.
    /// </summary>
    public int SymbolCstrLen { get; init; } = DbnConstants.SymbolCstrLenV2;

    /// <summary>The requested symbols.</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>The symbols that resolved for only part of the range.</summary>
    public IReadOnlyList<string> Partial { get; init; } = [];

    /// <summary>The symbols that did not resolve.</summary>
    public IReadOnlyList<string> NotFound { get; init; } = [];

    /// <summary>The symbol mappings: for each requested symbol, the dated intervals of its output symbol.</summary>
    public IReadOnlyList<DbnSymbolMapping> Mappings { get; init; } = [];

    /// <summary>The symbol field length DBN uses in a version: 22 for version 1, 71 otherwise.</summary>
    /// <param name="version">The DBN version.</param>
    /// <returns>The length in bytes.</returns>
    public static int DefaultSymbolCstrLen(byte version) => version < 2 ? DbnConstants.SymbolCstrLenV1 : DbnConstants.SymbolCstrLenV2;
}
