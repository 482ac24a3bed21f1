using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace OrderFlow.Databento.Tests;

/// <summary>Truncated and corrupted inputs give one <see cref="DbnFormatException"/> with the byte offset, never anything else.</summary>
public class DbnErrorTests
{
    private static byte[] Plain(string name) => Fixtures.Bytes("dbn/tests/data/" + name);

    [FixtureFact]
    public void Open_BadMagic_ThrowsWithOffset0()
    {
        var bytes = Plain("test_data.trades.dbn");
        bytes[0] = (byte)'X';
        var ex = Assert.Throws<DbnFormatException>(() => DbnDecoder.Open(new MemoryStream(bytes)));
        Assert.Equal(0, ex.Offset);
        Assert.Contains("instead of 'DBN'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset 0", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Open_UnsupportedVersion_ThrowsWithOffset3()
    {
        var bytes = Plain("test_data.trades.dbn");
        bytes[3] = 9;
        var ex = Assert.Throws<DbnFormatException>(() => DbnDecoder.Open(new MemoryStream(bytes)));
        Assert.Equal(3, ex.Offset);
        Assert.Contains("Unsupported DBN version 9", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Open_MetadataLengthPastEnd_Throws()
    {
        var bytes = Plain("test_data.trades.dbn")[..200];
        var ex = Assert.Throws<DbnFormatException>(() => DbnDecoder.Open(new MemoryStream(bytes)));
        Assert.Equal(4, ex.Offset);
        Assert.Contains("runs past the end", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Empty_Throws() =>
        Assert.Contains("empty", Assert.Throws<DbnFormatException>(() => DbnDecoder.Open(new MemoryStream())).Message, StringComparison.Ordinal);

    [FixtureFact]
    public void Read_RecordLengthZero_ThrowsAtRecordOffset()
    {
        var bytes = Plain("test_data.trades.dbn");
        var metadataLength = 8 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        bytes[metadataLength + 48] = 0; // second record's length
        using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
        Assert.True(decoder.Read(out _));
        var ex = Assert.Throws<DbnFormatException>(() => decoder.Read(out _));
        Assert.Equal(metadataLength + 48, ex.Offset);
        Assert.Contains("length is 0", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Read_RecordLengthBeyondEnd_ThrowsTruncated()
    {
        var bytes = Plain("test_data.ohlcv-1m.dbn");
        bytes[^56] = 200; // last record claims 800 bytes
        using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
        Assert.True(decoder.Read(out _));
        var ex = Assert.Throws<DbnFormatException>(() => decoder.Read(out _));
        Assert.Equal(bytes.Length - 56, ex.Offset);
        Assert.Contains("Truncated record", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Read_TruncatedMidRecord_Throws()
    {
        var bytes = Plain("test_data.mbp-1.dbn")[..^10];
        using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
        Assert.True(decoder.Read(out _));
        var ex = Assert.Throws<DbnFormatException>(() => decoder.Read(out _));
        Assert.Equal(bytes.Length + 10 - 80, ex.Offset);
    }

    [FixtureFact]
    public void Read_KnownRTypeShorterThanItsLayout_Throws()
    {
        var bytes = Plain("test_data.ohlcv-1m.dbn");
        var metadataLength = 8 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        bytes[metadataLength + 1] = DbnRType.InstrumentDef; // a 56-byte record now claims to be a definition
        using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
        var ex = Assert.Throws<DbnFormatException>(() => decoder.Read(out _));
        Assert.Contains("needs 400 bytes", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void Read_UnknownRType_IsSkippedByLength()
    {
        var bytes = Plain("test_data.ohlcv-1m.dbn");
        var metadataLength = 8 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        bytes[metadataLength + 1] = 0xEE;
        using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
        Assert.True(decoder.Read(out var first));
        Assert.Equal(0xEE, first.RType);
        Assert.False(first.Is<OhlcvMsg>());
        var threw = false;
        try
        {
            first.As<OhlcvMsg>();
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
        Assert.True(decoder.Read(out var second));
        Assert.Equal(372100000000000, second.As<OhlcvMsg>().Open.Raw);
        Assert.False(decoder.Read(out _));
    }

    [FixtureFact]
    public void Open_CorruptZstd_ThrowsDbnFormatException()
    {
        var bytes = Plain("test_data.trades.v3.dbn.zst");
        for (var i = 12; i < bytes.Length; i += 3)
        {
            bytes[i] ^= 0x5A;
        }

        Assert.Throws<DbnFormatException>(() =>
        {
            using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
            while (decoder.Read(out _))
            {
            }
        });
    }

    [FixtureFact]
    public void SpanReader_TruncatedInput_Throws()
    {
        var bytes = Plain("test_data.trades.dbn")[..^1];
        var ex = Assert.Throws<DbnFormatException>(() =>
        {
            var reader = DbnSpanReader.Create(bytes, out _);
            while (reader.TryRead(out _))
            {
            }
        });
        Assert.True(ex.Offset > 0);
    }

    /// <summary>Random truncation and byte corruption of every fixture: only DbnFormatException, never a hang.</summary>
    [FixtureFact]
    public void AnyFixture_TruncatedOrCorrupted_OnlyThrowsDbnFormatException()
    {
        var files = Fixtures.All().Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToArray();
        var gen = from file in Gen.Choose(0, files.Length - 1)
                  from cut in Gen.Choose(0, 100)
                  from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(1, 255)))
                  select (file, cut, flips.Take(4).ToArray());
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (path, original) = files[c.file];
            var bytes = original[..(int)(original.Length * (c.cut / 100.0))];
            foreach (var (at, x) in c.Item3)
            {
                if (bytes.Length > 0)
                {
                    bytes[at % bytes.Length] ^= (byte)x;
                }
            }

            var fragment = path.Contains(".frag", StringComparison.Ordinal);
            try
            {
                var task = Task.Run(() => DecodeAll(bytes, fragment));
                Assert.True(task.Wait(TimeSpan.FromSeconds(10)), "decoding hung");
            }
            catch (AggregateException ex) when (ex.InnerException is DbnFormatException)
            {
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [FixtureFact]
    public void AnyFixture_SpanReaderOnEveryTruncation_OnlyThrowsDbnFormatException()
    {
        foreach (var name in new[] { "test_data.mbp-1.dbn", "test_data.definition.dbn", "test_data.ohlcv-1s.dbn" })
        {
            var bytes = Plain(name);
            for (var n = 0; n <= bytes.Length; n++)
            {
                try
                {
                    var reader = DbnSpanReader.Create(bytes.AsSpan(0, n), out _);
                    while (reader.TryRead(out var r))
                    {
                        _ = r.Header;
                    }
                }
                catch (DbnFormatException)
                {
                }
            }
        }
    }

    private static int DecodeAll(byte[] bytes, bool fragment)
    {
        using var decoder = fragment ? DbnDecoder.OpenFragment(new MemoryStream(bytes), 2) : DbnDecoder.Open(new MemoryStream(bytes));
        var n = 0;
        while (decoder.Read(out var r))
        {
            n++;
            _ = r.TryAs(out OhlcvMsg _) || r.TryAs(out TradeMsg _) || r.TryAs(out Mbp1Msg _);
            if (r.TryGetInstrumentDef(out var d))
            {
                _ = d.RawSymbol + d.Exchange + d.Asset + d.Group + d.Currency + d.SecurityType + d.StrikePrice;
            }

            if (r.TryGetSymbolMapping(out var m))
            {
                _ = m.STypeInSymbol + m.STypeOutSymbol + m.StartTs;
            }

            if (r.TryGetGatewayText(out var t))
            {
                _ = t.Text + t.Code + t.IsLast;
            }
        }

        return n;
    }
}
