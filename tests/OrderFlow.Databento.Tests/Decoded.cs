namespace OrderFlow.Databento.Tests;

/// <summary>A whole DBN file decoded into plain values, for assertions.</summary>
internal sealed class Decoded
{
    public DbnMetadata? Metadata { get; init; }

    public List<byte> RTypes { get; } = [];

    public List<RecordHeader> Headers { get; } = [];

    public List<OhlcvMsg> Bars { get; } = [];

    public List<TradeMsg> Trades { get; } = [];

    public List<Mbp1Msg> Mbp1 { get; } = [];

    public List<(uint Id, string In, string Out, DbnSType? STypeIn, DbnSType? STypeOut)> Mappings { get; } = [];

    public List<(uint Id, string RawSymbol, string Exchange, char Class, char Action, int RoundLot, DbnPrice Strike, DbnPrice Tick, DbnPrice DisplayFactor, ulong Expiration)> Definitions { get; } = [];

    public List<byte[]> RawRecords { get; } = [];

    public static Decoded File(string path, byte? fragmentVersion = null)
    {
        using var stream = System.IO.File.OpenRead(path);
        using var decoder = fragmentVersion is { } v ? DbnDecoder.OpenFragment(stream, v) : DbnDecoder.Open(stream);
        var result = new Decoded { Metadata = decoder.Metadata };
        while (decoder.Read(out var record))
        {
            result.Add(record);
        }

        return result;
    }

    public void Add(DbnRecordRef record)
    {
        RTypes.Add(record.RType);
        Headers.Add(record.Header);
        RawRecords.Add(record.Bytes.ToArray());
        if (record.TryAs(out OhlcvMsg bar))
        {
            Bars.Add(bar);
        }
        else if (record.TryAs(out TradeMsg trade))
        {
            Trades.Add(trade);
        }
        else if (record.TryAs(out Mbp1Msg mbp))
        {
            Mbp1.Add(mbp);
        }
        else if (record.TryGetSymbolMapping(out var map))
        {
            Mappings.Add((map.Header.InstrumentId, map.STypeInSymbol, map.STypeOutSymbol, map.STypeIn, map.STypeOut));
        }
        else if (record.TryGetInstrumentDef(out var def))
        {
            Definitions.Add((def.Header.InstrumentId, def.RawSymbol, def.Exchange, def.InstrumentClass, def.SecurityUpdateAction, def.MinLotSizeRoundLot, def.StrikePrice, def.MinPriceIncrement, def.DisplayFactor, def.Expiration));
        }
    }
}
