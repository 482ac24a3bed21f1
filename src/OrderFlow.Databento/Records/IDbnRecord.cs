namespace OrderFlow.Databento;

/// <summary>A fixed-layout DBN record that can be read straight from the bytes of a record (a blittable struct).</summary>
/// <remarks>
/// Implemented by <see cref="OhlcvMsg"/>, <see cref="TradeMsg"/> and <see cref="Mbp1Msg"/>, whose layouts are the
/// same in DBN versions 1, 2 and 3. Records whose layout depends on the version are read through views instead
/// (<see cref="SymbolMappingView"/>, <see cref="GatewayTextView"/>, <see cref="InstrumentDefView"/>).
/// </remarks>
public interface IDbnRecord
{
    /// <summary>The record header.</summary>
    RecordHeader Header { get; }

    /// <summary>The size of the record in bytes, without <c>ts_out</c>.</summary>
    static abstract int EncodedSize { get; }

    /// <summary>Whether a record with this rtype has this layout.</summary>
    /// <param name="rtype">The rtype of a record header.</param>
    /// <returns>Whether the record can be read as this type.</returns>
    static abstract bool HasRType(byte rtype);
}
