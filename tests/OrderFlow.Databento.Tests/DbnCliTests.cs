using System.Buffers;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Candles.Serialization;
using OrderFlow.Dbn;

namespace OrderFlow.Databento.Tests;

/// <summary>The <c>dbn</c> tool, run in process on the fixtures.</summary>
public class DbnCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = DbnTool.Run(args, stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [FixtureFact]
    public void Csv_ZeroRecords_WritesOnlyTheHeader()
    {
        var (code, output, err) = Run(Fixtures.Dbn("test_data.ohlcv-1d.v3.dbn.zst"), "--csv");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var line = Assert.Single(Lines(output));
        Assert.StartsWith("ts_event,", line, StringComparison.Ordinal);
        Assert.Equal("ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume", line);
    }

    [FixtureTheory]
    [InlineData("test_data.definition.v3.dbn.frag")]
    [InlineData("test_data.definition.v3.dbn.frag.zst")]
    public void Fragment_GivesTwoJsonLinesAndThreeCsvLines(string name)
    {
        var json = Run(Fixtures.Dbn(name), "--fragment", "--input-version", "3", "--json");
        Assert.Equal(0, json.Code);
        Assert.Equal(2, Lines(json.Out).Length);
        var csv = Run(Fixtures.Dbn(name), "--input-fragment", "--input-dbn-version", "3", "--csv");
        Assert.Equal(3, Lines(csv.Out).Length);
    }

    [FixtureFact]
    public void Json_Ohlcv_UsesDbnFieldNamesAndStrings()
    {
        var (code, output, _) = Run(Fixtures.Dbn("test_data.ohlcv-1s.v2.dbn.zst"), "--json");
        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"hd":{"ts_event":"1609160400000000000","rtype":32,"publisher_id":1,"instrument_id":5482},"open":"372025.000000000","high":"372050.000000000","low":"372025.000000000","close":"372050.000000000","volume":"57"}""", lines[0]);
        using var doc = System.Text.Json.JsonDocument.Parse(lines[1]);
        Assert.Equal("13", doc.RootElement.GetProperty("volume").GetString());
        var fixedPx = Lines(Run(Fixtures.Dbn("test_data.ohlcv-1s.v2.dbn.zst"), "--fixed-px").Out)[0];
        Assert.Contains("\"open\":\"372025000000000\"", fixedPx, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Csv_Trades_MatchesDbnColumns()
    {
        var lines = Lines(Run(Fixtures.Dbn("test_data.trades.v1.dbn.zst"), "--csv").Out);
        Assert.Equal(3, lines.Length);
        Assert.Equal("ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence", lines[0]);
        Assert.Equal("1609160400099150057,1609160400098821953,0,1,5482,T,A,0,3720.250000000,5,129,19251,1170380", lines[1]);
    }

    [FixtureFact]
    public void Metadata_PrintsOneJsonLine()
    {
        var (code, output, _) = Run(Fixtures.Dbn("test_data.ohlcv-1m.dbn"), "--metadata");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(Assert.Single(Lines(output)));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.Equal("ohlcv-1m", root.GetProperty("schema").GetString());
        Assert.Equal("1609160400000000000", root.GetProperty("start").GetString());
        Assert.Equal(20201228, root.GetProperty("mappings")[0].GetProperty("intervals")[0].GetProperty("start_date").GetInt32());
    }

    [FixtureFact]
    public void Candles_FromOhlcv_AreCandleJsonWithRootSymbol()
    {
        var lines = Lines(Run(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1m.dbn.zst"), "--candles").Out);
        Assert.Equal(4, lines.Length);
        Assert.Equal("""{"time":1609113600,"open":3702.75,"high":3704.75,"low":3702.5,"close":3704.75,"volume":306,"symbol":"ES"}""", lines[0]);
    }

    [FixtureFact]
    public void Candles_FromTrades_AggregateToOneMinute()
    {
        // Both trades (5 and 21 lots at 3720.25) have side A, a sell aggressor: all 26 lots sold.
        var lines = Lines(Run(Fixtures.Dbn("test_data.trades.dbn"), "--candles").Out);
        Assert.Equal("""{"time":1609160400,"open":3720.25,"high":3720.25,"low":3720.25,"close":3720.25,"volume":26,"buyVolume":0,"sellVolume":26,"delta":-26,"symbol":"ES"}""", Assert.Single(lines));
    }

    [FixtureFact]
    public void Candles_FromTrades_ReadBackWithCandleJsonReader_WithTheirOrderFlow()
    {
        // The four ESH1 trades of 2020-12-28 00:00:00.2–0.7 (SOURCE.md section C): 3702.75 x1 B, 3702.75 x1 B,
        // 3702.50 x1 A, 3702.75 x1 B: one minute, buy 3, sell 1, delta 2.
        var (code, output, err) = Run(Fixtures.Python("GLBX.MDP3/test_data.trades.dbn.zst"), "--candles");
        Assert.Equal((0, ""), (code, err));
        var line = Assert.Single(Lines(output));

        Assert.True(CandleJsonReader.TryReadSingle(Encoding.UTF8.GetBytes(line), out var candle), line);
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3702.75, 3702.5, 3702.75, 4, buyVolume: 3, sellVolume: 1), candle);
        Assert.True(candle.HasFlow);
        Assert.Equal(2, candle.Delta);

        // The line is the shared vocabulary's bytes for that candle, with the root symbol after them.
        var expected = new ArrayBufferWriter<byte>();
        CandleJsonWriter.WriteObject(expected, candle);
        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan)[..^1] + ""","symbol":"ES"}""", line);
    }

    [FixtureFact]
    public void Candles_FromOhlcv_ReadBackWithCandleJsonReader_WithoutOrderFlow()
    {
        var lines = Lines(Run(Fixtures.Python("GLBX.MDP3/test_data.ohlcv-1m.dbn.zst"), "--candles").Out);
        var candles = lines.Select(l => CandleJsonReader.TryReadSingle(Encoding.UTF8.GetBytes(l), out var c) ? c : throw new Xunit.Sdk.XunitException($"unreadable: {l}")).ToArray();
        Assert.Equal(Candle.Create(1609113600, 3702.75, 3704.75, 3702.5, 3704.75, 306), candles[0]);
        Assert.Equal(Candle.Create(1609113660, 3704.75, 3705, 3704, 3704, 214), candles[1]);
        Assert.All(candles, c => Assert.False(c.HasFlow));
    }

    [FixtureFact]
    public void LiveCapture_JsonPrintsEveryRecord_CsvRefusesMixedSchemas()
    {
        Assert.Equal(46, Lines(Run(Fixtures.Python("LIVE/test_data.live.dbn.zst")).Out).Length);
        var (code, _, err) = Run(Fixtures.Python("LIVE/test_data.live.dbn.zst"), "--csv");
        Assert.Equal(1, code);
        Assert.Single(Lines(err));
    }

    [FixtureFact]
    public void TruncatedFile_OneErrorLineAndExitCode1()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, File.ReadAllBytes(Fixtures.Dbn("test_data.mbp-1.dbn"))[..^20]);
            var (code, _, err) = Run(path, "--json");
            Assert.Equal(1, code);
            var line = Assert.Single(Lines(err));
            Assert.StartsWith("dbn: error: ", line, StringComparison.Ordinal);
            Assert.Contains("byte offset", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_Exit1_BadOption_Exit2()
    {
        Assert.Equal(1, Run("/nonexistent/file.dbn").Code);
        Assert.Equal(2, Run("--bogus").Code);
        Assert.Equal(2, Run().Code);
    }

    [FixtureFact]
    public void Output_WritesToFile()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            var (code, output, _) = Run(Fixtures.Dbn("test_data.tbbo.dbn"), "--csv", "-o", path);
            Assert.Equal(0, code);
            Assert.Equal("", output);
            Assert.Equal(3, File.ReadAllLines(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
