using OrderFlow.Candles;

namespace OrderFlow.Databento.Tests;

public class DbnSymbologyTests
{
    [Theory]
    [InlineData("ESH1", "ES")]
    [InlineData("GCZ4", "GC")]
    [InlineData("NQM25", "NQ")]
    [InlineData("CLF6", "CL")]
    [InlineData("SIK5", "SI")]
    [InlineData("ES.FUT", "ES")]
    [InlineData("GC.c.0", "GC")]
    [InlineData("MSFT", "MSFT")]
    [InlineData("ES", "ES")]
    public void TryGetRoot_KnownForms_ReturnsRoot(string raw, string root)
    {
        Assert.True(CmeSymbology.TryGetRoot(raw, out var symbol));
        Assert.Equal(root, symbol.Value);
    }

    [Theory]
    [InlineData("ESH1-ESM1")]
    [InlineData("GEM3 P9812")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("es.fut")]
    public void TryGetRoot_SpreadsOptionsAndInvalid_ReturnsFalse(string? raw) => Assert.False(CmeSymbology.TryGetRoot(raw, out _));

    [FixtureFact]
    public void FromMetadata_MapsInstrumentByDate()
    {
        var metadata = DbnDecoder.OpenFile(Fixtures.Dbn("test_data.ohlcv-1m.v3.dbn.zst")).Metadata!;
        var map = DbnSymbolMap.FromMetadata(metadata);
        Assert.True(map.TryGetSymbol(5482, 1609160400000000000, out var symbol));
        Assert.Equal("ESH1", symbol);
        Assert.True(map.TryGetRoot(5482, 1609160400000000000, out var root));
        Assert.Equal(Symbol.ES, root);
        Assert.False(map.TryGetSymbol(5482, 1609286400000000000, out _)); // 2020-12-30: outside [12-28, 12-29)
        Assert.False(map.TryGetSymbol(1, 1609160400000000000, out _));
    }

    [FixtureFact]
    public void Definition_Metadata_Has62DatedIntervals()
    {
        var metadata = DbnDecoder.OpenFile(Fixtures.Dbn("test_data.definition.v3.dbn.zst")).Metadata!;
        var map = DbnSymbolMap.FromMetadata(metadata);
        Assert.True(map.TryGetSymbol(6819, 1633331241618018154, out var s));
        Assert.Equal("MSFT", s);
    }

    [FixtureFact]
    public void Apply_LiveSymbolMappings_MapsEsz4()
    {
        var map = new DbnSymbolMap();
        using var decoder = DbnDecoder.OpenFile(Fixtures.Python("LIVE/test_data.live.dbn.zst"));
        var applied = 0;
        var bars = new List<(Symbol, Candle)>();
        while (decoder.Read(out var r))
        {
            if (map.Apply(r))
            {
                applied++;
            }
            else if (r.TryAs(out OhlcvMsg bar) && r.RType == DbnRType.Ohlcv1M && map.TryGetRoot(r.InstrumentId, r.TsEvent, out var root)
                && DbnCandles.TryToCandle(bar, out var candle) == CandleRejection.None)
            {
                bars.Add((root, candle));
            }
        }

        Assert.Equal(20, applied);
        Assert.True(map.TryGetSymbol(183748, 0, out var symbol));
        Assert.Equal("ESZ4", symbol);
        Assert.Equal(2, bars.Count);
        Assert.Equal((Symbol.ES, 1700510400L, 4756.0, 2.0), (bars[0].Item1, bars[0].Item2.OpenTime, bars[0].Item2.Close, bars[0].Item2.Volume));
    }

    [FixtureFact]
    public void TryToCandle_PythonOhlcv1M_MatchesDecimalText()
    {
        var d = Decoded.File(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1m.dbn.zst"));
        Assert.Equal(CandleRejection.None, DbnCandles.TryToCandle(d.Bars[0], out var c));
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3704.75, 3702.5, 3704.75, 306), c);
        Assert.Equal(Timeframe.OneMinute, DbnCandles.TimeframeOf(DbnRType.Ohlcv1M));
        Assert.Null(DbnCandles.TimeframeOf(DbnRType.Ohlcv1S));
    }
}
