namespace OrderFlow.Databento.Tests;

/// <summary>Every published fixture decodes to the values SOURCE.md lists (upstream-asserted and helper-decoded).</summary>
public class DbnFixtureTests
{
    private const ulong Start = 1609160400000000000;

    // Section A/B: every version and encoding of the ESH1 files.
    public static TheoryData<string> EshFiles(string schema) =>
    [
        Fixtures.Dbn($"test_data.{schema}.dbn"),
        Fixtures.Dbn($"test_data.{schema}.v1.dbn.zst"),
        Fixtures.Dbn($"test_data.{schema}.v2.dbn.zst"),
        Fixtures.Dbn($"test_data.{schema}.v3.dbn.zst"),
        Fixtures.Cpp($"test_data.{schema}.v1.dbn"),
    ];

    public static TheoryData<string> Ohlcv1S => EshFiles("ohlcv-1s");

    public static TheoryData<string> Ohlcv1M => EshFiles("ohlcv-1m");

    public static TheoryData<string> Ohlcv1H => EshFiles("ohlcv-1h");

    public static TheoryData<string> Ohlcv1D => EshFiles("ohlcv-1d");

    public static TheoryData<string> Trades => EshFiles("trades");

    public static TheoryData<string> Tbbo => EshFiles("tbbo");

    public static TheoryData<string> Mbp1 => EshFiles("mbp-1");

    public static TheoryData<string> Definition =>
    [
        Fixtures.Dbn("test_data.definition.dbn"),
        Fixtures.Dbn("test_data.definition.v1.dbn.zst"),
        Fixtures.Dbn("test_data.definition.v2.dbn.zst"),
        Fixtures.Dbn("test_data.definition.v3.dbn.zst"),
        Fixtures.Cpp("test_data.definition.v1.dbn"),
    ];

    [FixtureFact]
    public void EveryFixture_Decodes()
    {
        var files = Fixtures.All().ToList();
        Assert.Equal(56, files.Count);
        foreach (var file in files)
        {
            var fragment = file.Contains(".frag", StringComparison.Ordinal);
            byte? version = !fragment ? null : file.Contains(".v1.", StringComparison.Ordinal) || file.Contains("multi-frame", StringComparison.Ordinal) ? (byte)1 : file.Contains(".v3.", StringComparison.Ordinal) ? (byte)3 : (byte)2;
            var decoded = Decoded.File(file, version);
            Assert.True(fragment ? decoded.Metadata is null : decoded.Metadata is not null, file);
        }
    }

    [FixtureTheory]
    [MemberData(nameof(Ohlcv1S))]
    public void Ohlcv1S_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Ohlcv1S);
        Assert.Equal(2, d.Bars.Count);
        AssertBar(d.Bars[0], DbnRType.Ohlcv1S, Start, 372025000000000, 372050000000000, 372025000000000, 372050000000000, 57);
        AssertBar(d.Bars[1], DbnRType.Ohlcv1S, 1609160401000000000, 372050000000000, 372050000000000, 372050000000000, 372050000000000, 13);
    }

    [FixtureTheory]
    [MemberData(nameof(Ohlcv1M))]
    public void Ohlcv1M_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Ohlcv1M);
        Assert.Equal(2, d.Bars.Count);
        AssertBar(d.Bars[0], DbnRType.Ohlcv1M, Start, 372025000000000, 372150000000000, 372025000000000, 372100000000000, 353);
        AssertBar(d.Bars[1], DbnRType.Ohlcv1M, 1609160460000000000, 372100000000000, 372150000000000, 372100000000000, 372150000000000, 152);
    }

    [FixtureTheory]
    [MemberData(nameof(Ohlcv1H))]
    public void Ohlcv1H_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Ohlcv1H);
        Assert.Equal(2, d.Bars.Count);
        AssertBar(d.Bars[0], DbnRType.Ohlcv1H, Start, 372025000000000, 372350000000000, 372025000000000, 372225000000000, 9385);
        AssertBar(d.Bars[1], DbnRType.Ohlcv1H, 1609164000000000000, 372225000000000, 372450000000000, 371600000000000, 371950000000000, 112698);
    }

    [FixtureTheory]
    [MemberData(nameof(Ohlcv1D))]
    public void Ohlcv1D_HasMetadataAndNoRecords(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Ohlcv1D);
        Assert.Empty(d.RTypes);
    }

    [FixtureTheory]
    [MemberData(nameof(Trades))]
    public void Trades_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Trades);
        Assert.Equal(2, d.Trades.Count);
        AssertTrade(d.Trades[0], 1609160400098821953, 3720250000000, 5, 'T', 'A', 129, 1609160400099150057, 19251, 1170380);
        AssertTrade(d.Trades[1], 1609160400107665963, 3720250000000, 21, 'T', 'A', 129, 1609160400108142648, 20728, 1170414);
        Assert.All(d.Trades, t => Assert.Equal(DbnRType.Mbp0, t.Header.RType));
    }

    [FixtureTheory]
    [MemberData(nameof(Tbbo))]
    public void Tbbo_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Tbbo);
        Assert.Equal(2, d.Mbp1.Count);
        var (r1, r2) = (d.Mbp1[0], d.Mbp1[1]);
        Assert.Equal((1609160400098821953UL, 3720250000000L, 5u, 'T', 'A', (byte)129, (byte)0, 1609160400099150057UL, 19251, 1170380u), (r1.Header.TsEvent, r1.Price.Raw, r1.Size, r1.Action, r1.Side, r1.Flags, r1.Depth, r1.TsRecv, r1.TsInDelta, r1.Sequence));
        Assert.Equal((1609160400107665963UL, 3720250000000L, 21u, (byte)129, 1609160400108142648UL, 20728, 1170414u), (r2.Header.TsEvent, r2.Price.Raw, r2.Size, r2.Flags, r2.TsRecv, r2.TsInDelta, r2.Sequence));
        AssertLevel(r1.Level, 3720250000000, 3720500000000, 26, 7, 16, 6);
        AssertLevel(r2.Level, 3720250000000, 3720500000000, 21, 22, 13, 15);
    }

    [FixtureTheory]
    [MemberData(nameof(Mbp1))]
    public void Mbp1_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        AssertEshMetadata(d.Metadata!, file, DbnSchema.Mbp1);
        Assert.Equal(2, d.Mbp1.Count);
        var (r1, r2) = (d.Mbp1[0], d.Mbp1[1]);
        Assert.Equal((1609160400006001487UL, 3720500000000L, 1u, 'A', 'A', (byte)128, (byte)0, 1609160400006136329UL, 17214, 1170362u), (r1.Header.TsEvent, r1.Price.Raw, r1.Size, r1.Action, r1.Side, r1.Flags, r1.Depth, r1.TsRecv, r1.TsInDelta, r1.Sequence));
        AssertLevel(r1.Level, 3720250000000, 3720500000000, 24, 11, 15, 9);
        Assert.Equal((1609160400006146661UL, 3720500000000L, 1u, 'A', 'A', (byte)128, 1609160400006246513UL, 18858, 1170364u), (r2.Header.TsEvent, r2.Price.Raw, r2.Size, r2.Action, r2.Side, r2.Flags, r2.TsRecv, r2.TsInDelta, r2.Sequence));
        AssertLevel(r2.Level, 3720250000000, 3720500000000, 24, 12, 15, 10);
    }

    [FixtureTheory]
    [MemberData(nameof(Definition))]
    public void Definition_DecodesUpstreamValues(string file)
    {
        var d = Decoded.File(file);
        var m = d.Metadata!;
        Assert.Equal("XNAS.ITCH", m.Dataset);
        Assert.Equal(DbnSchema.Definition, m.Schema);
        Assert.Equal((1633305600000000000UL, (ulong?)1641254400000000000, (ulong?)2), (m.Start, m.End, m.Limit));
        Assert.Equal(["MSFT"], m.Symbols);
        var mapping = Assert.Single(m.Mappings);
        Assert.Equal("MSFT", mapping.RawSymbol);
        Assert.Equal(62, mapping.Intervals.Count);
        Assert.Equal(new DbnMappingInterval(new DateOnly(2021, 10, 4), new DateOnly(2021, 10, 5), "6819"), mapping.Intervals[0]);
        Assert.Equal(2, d.Definitions.Count);
        Assert.All(d.Definitions, def =>
        {
            Assert.Equal("XNAS", def.Exchange);
            Assert.Equal('A', def.Action);
            Assert.Equal(100, def.RoundLot);
            Assert.Equal('K', def.Class);
            Assert.True(def.Strike.IsUndefined);
            Assert.Equal(DbnConstants.UndefPrice, def.Strike.Raw);
            Assert.Equal("MSFT", def.RawSymbol);
        });
        Assert.Equal((ushort)2, d.Headers[0].PublisherId);
        Assert.Equal(6819u, d.Headers[0].InstrumentId);
        Assert.Equal(1633331241618018154UL, d.Headers[0].TsEvent);
        var size = m.Version switch { 1 => 360, 2 => 400, _ => 520 };
        Assert.All(d.Headers, h => Assert.Equal(size, h.RecordLength));
    }

    [FixtureTheory]
    [InlineData("test_data.definition.v1.dbn.frag", 1)]
    [InlineData("test_data.definition.v1.dbn.frag.zst", 1)]
    [InlineData("test_data.definition.v2.dbn.frag", 2)]
    [InlineData("test_data.definition.dbn.frag.zst", 2)]
    [InlineData("test_data.definition.v3.dbn.frag", 3)]
    [InlineData("test_data.definition.v3.dbn.frag.zst", 3)]
    public void Fragment_DecodesTwoDefinitions(string name, byte version)
    {
        var d = Decoded.File(Fixtures.Dbn(name), version);
        Assert.Null(d.Metadata);
        Assert.Equal(2, d.Definitions.Count);
        Assert.Equal(((ushort)1, 31778u, 1609088526651000000UL), (d.Headers[0].PublisherId, d.Headers[0].InstrumentId, d.Headers[0].TsEvent));
        Assert.All(d.Headers, h => Assert.Equal(InstrumentDefView.SizeFor(version), h.RecordLength));
    }

    [FixtureFact]
    public void MultiFrameZstd_ReadsEightV1Definitions()
    {
        using var decoder = DbnDecoder.OpenFragment(File.OpenRead(Fixtures.Dbn("multi-frame.definition.v1.dbn.frag.zst")), 1);
        Assert.True(decoder.IsCompressed);
        var d = new Decoded();
        while (decoder.Read(out var r))
        {
            d.Add(r);
        }

        Assert.Equal(8, d.RTypes.Count);
        Assert.All(d.RTypes, r => Assert.Equal(DbnRType.InstrumentDef, r));
        Assert.All(d.Headers, h => Assert.Equal(360, h.RecordLength));
    }

    [FixtureFact]
    public void PythonOhlcv1M_FirstRecordMatchesUpstream()
    {
        var d = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1m.dbn.zst"));
        AssertPythonMetadata(d.Metadata!, DbnSchema.Ohlcv1M);
        Assert.Equal(4, d.Bars.Count);
        AssertBar(d.Bars[0], DbnRType.Ohlcv1M, 1609113600000000000, 3702750000000, 3704750000000, 3702500000000, 3704750000000, 306);
        AssertBar(d.Bars[1], DbnRType.Ohlcv1M, 1609113660000000000, 3704750000000, 3705000000000, 3704000000000, 3704000000000, 214);
        Assert.Equal(5482u, d.Bars[0].Header.InstrumentId);
    }

    [FixtureFact]
    public void PythonFiles_HaveExpectedCountsAndValues()
    {
        foreach (var (schema, dbnSchema) in new[] { ("trades", DbnSchema.Trades), ("tbbo", DbnSchema.Tbbo), ("mbp-1", DbnSchema.Mbp1) })
        {
            var d = Decoded.File(Fixtures.Python($"GLBX.MDP3/test_data.{schema}.dbn.zst"));
            AssertPythonMetadata(d.Metadata!, dbnSchema);
            Assert.Equal(4, d.RTypes.Count);
        }

        var trades = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.trades.dbn.zst")).Trades;
        AssertTrade(trades[0], 1609113600246507011, 3702750000000, 1, 'T', 'B', 0, 1609113600246821748, 18113, 145885);

        var s = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1s.dbn.zst")).Bars;
        Assert.Equal(4, s.Count);
        AssertBar(s[0], DbnRType.Ohlcv1S, 1609113600000000000, 3702750000000, 3702750000000, 3702500000000, 3702500000000, 13);

        var h = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1h.dbn.zst")).Bars;
        Assert.Equal(4, h.Count);
        AssertBar(h[0], DbnRType.Ohlcv1H, 1609113600000000000, 3702750000000, 3707000000000, 3697250000000, 3705750000000, 11891);
        Assert.Equal(1609117200000000000UL, h[1].Header.TsEvent);

        var day = Assert.Single(Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1d.dbn.zst")).Bars);
        AssertBar(day, DbnRType.Ohlcv1D, 1609113600000000000, 3702750000000, 3735000000000, 3697250000000, 3735000000000, 718174);

        var def = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.definition.dbn.zst"));
        var d1 = Assert.Single(def.Definitions);
        Assert.Equal(520, def.Headers[0].RecordLength);
        Assert.Equal((5482u, "ESH1", 250000000L, 10000000L, 1616160600000000000UL), (d1.Id, d1.RawSymbol, d1.Tick.Raw, d1.DisplayFactor.Raw, d1.Expiration));
        Assert.Equal(9223372036854775807L, d1.Strike.Raw);
        Assert.True(d1.Strike.IsUndefined);
    }

    [FixtureFact]
    public void LiveCapture_HasMixedSchemaMetadataAndUpstreamCounts()
    {
        var d = Decoded.File(Fixtures.Python("LIVE/test_data.live.dbn.zst"));
        var m = d.Metadata!;
        Assert.Equal((byte)3, m.Version);
        Assert.Equal("GLBX.MDP3", m.Dataset);
        Assert.Null(m.Schema);
        Assert.Equal(0UL, m.Start);
        Assert.Null(m.End);
        Assert.Null(m.STypeIn);
        Assert.Empty(m.Symbols);
        Assert.Empty(m.Mappings);

        int Count(byte rtype) => d.RTypes.Count(r => r == rtype);
        Assert.Equal(5, Count(DbnRType.Mbo));
        Assert.Equal(2, Count(DbnRType.Mbp1));
        Assert.Equal(2, Count(DbnRType.Mbp10));
        Assert.Equal(2, Count(DbnRType.Mbp0));
        Assert.Equal(2, Count(DbnRType.Ohlcv1S));
        Assert.Equal(2, Count(DbnRType.Ohlcv1M));
        Assert.Equal(0, Count(DbnRType.Ohlcv1H));
        Assert.Equal(0, Count(DbnRType.Ohlcv1D));
        Assert.Equal(2, Count(DbnRType.InstrumentDef));
        Assert.Equal(9, Count(DbnRType.Statistics));
        Assert.Equal(20, Count(DbnRType.SymbolMapping));
        Assert.All(d.Headers.Where(h => h.RType == DbnRType.SymbolMapping), h => Assert.Equal(176, h.RecordLength));
        Assert.Contains(d.Mappings, x => x.Id == 183748 && x.Out == "ESZ4");

        var bar = d.Bars.First(b => b.Header.RType == DbnRType.Ohlcv1M);
        AssertBar(bar, DbnRType.Ohlcv1M, 1700510400000000000, 4756000000000, 4756000000000, 4756000000000, 4756000000000, 2);
        Assert.Equal(183748u, bar.Header.InstrumentId);
    }

    internal static void AssertEshMetadata(DbnMetadata m, string file, DbnSchema schema)
    {
        var expectedVersion = file.Contains(".v1.", StringComparison.Ordinal) ? 1 : file.Contains(".v3.", StringComparison.Ordinal) ? 3 : 2;
        Assert.Equal(expectedVersion, m.Version);
        Assert.Equal("GLBX.MDP3", m.Dataset);
        Assert.Equal(schema, m.Schema);
        Assert.Equal(Start, m.Start);
        Assert.Equal(1609200000000000000UL, m.End);
        Assert.Equal(2UL, m.Limit);
        Assert.Equal(DbnSType.RawSymbol, m.STypeIn);
        Assert.Equal(DbnSType.InstrumentId, m.STypeOut);
        Assert.False(m.TsOut);
        Assert.Equal(expectedVersion == 1 ? 22 : 71, m.SymbolCstrLen);
        Assert.Equal(["ESH1"], m.Symbols);
        Assert.Empty(m.Partial);
        Assert.Empty(m.NotFound);
        var mapping = Assert.Single(m.Mappings);
        Assert.Equal("ESH1", mapping.RawSymbol);
        Assert.Equal(new DbnMappingInterval(new DateOnly(2020, 12, 28), new DateOnly(2020, 12, 29), "5482"), Assert.Single(mapping.Intervals));
    }

    private static void AssertPythonMetadata(DbnMetadata m, DbnSchema schema)
    {
        Assert.Equal((byte)3, m.Version);
        Assert.Equal(schema, m.Schema);
        Assert.Equal((1609113600000000000UL, (ulong?)1609200000000000000, (ulong?)4), (m.Start, m.End, m.Limit));
        Assert.Equal((DbnSType.RawSymbol, DbnSType.InstrumentId), (m.STypeIn!.Value, m.STypeOut));
        var interval = Assert.Single(Assert.Single(m.Mappings).Intervals);
        Assert.Equal("5482", interval.Symbol);
        Assert.Equal("ESH1", m.Mappings[0].RawSymbol);
    }

    internal static void AssertBar(OhlcvMsg bar, byte rtype, ulong ts, long o, long h, long l, long c, ulong v)
    {
        Assert.Equal(rtype, bar.Header.RType);
        Assert.Equal((ushort)1, bar.Header.PublisherId);
        Assert.Equal(56, bar.Header.RecordLength);
        Assert.Equal(ts, bar.Header.TsEvent);
        Assert.Equal((o, h, l, c, v), (bar.Open.Raw, bar.High.Raw, bar.Low.Raw, bar.Close.Raw, bar.Volume));
    }

    private static void AssertTrade(TradeMsg t, ulong ts, long price, uint size, char action, char side, byte flags, ulong tsRecv, int delta, uint seq)
    {
        Assert.Equal((ushort)1, t.Header.PublisherId);
        Assert.Equal(5482u, t.Header.InstrumentId);
        Assert.Equal(48, t.Header.RecordLength);
        Assert.Equal((ts, price, size, action, side, flags, (byte)0, tsRecv, delta, seq), (t.Header.TsEvent, t.Price.Raw, t.Size, t.Action, t.Side, t.Flags, t.Depth, t.TsRecv, t.TsInDelta, t.Sequence));
    }

    private static void AssertLevel(BidAskPair l, long bid, long ask, uint bidSz, uint askSz, uint bidCt, uint askCt) =>
        Assert.Equal((bid, ask, bidSz, askSz, bidCt, askCt), (l.BidPx.Raw, l.AskPx.Raw, l.BidSz, l.AskSz, l.BidCt, l.AskCt));
}
