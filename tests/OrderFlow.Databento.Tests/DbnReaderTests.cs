using System.Buffers;
using System.IO.Pipelines;
using OrderFlow.Candles;

namespace OrderFlow.Databento.Tests;

public class DbnReaderTests
{
    [Fact]
    public void SpanReader_OhlcvRecords_AllocatesNothingPerRecord()
    {
        const int N = 100_000;
        var bytes = OhlcvStream(N);
        long Decode()
        {
            var reader = DbnSpanReader.Create(bytes, out _);
            long sum = 0;
            while (reader.TryRead(out var r))
            {
                ref readonly var bar = ref r.AsRef<OhlcvMsg>();
                sum += bar.Close.Raw;
                if (DbnCandles.TryToCandle(bar, out var c) == CandleRejection.None)
                {
                    sum += (long)c.Volume;
                }
            }

            return sum;
        }

        Decode(); // warm-up (metadata parse allocates once per stream; JIT)
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Decode();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sum > 0);
        Assert.True(allocated < 2_000, $"{allocated} bytes for {N} records: the metadata allocates once per stream, records must not");
    }

    [Fact]
    public void Decoder_OhlcvRecords_AllocatesNothingPerRecord()
    {
        // The per-stream cost (the read buffer, the metadata) is the same for any length, so a stream of twice the
        // records must allocate the same: compare the two rather than guess the constant (it depends on the runtime).
        var small = OhlcvStream(50_000);
        var large = OhlcvStream(100_000);
        static long Decode(byte[] bytes)
        {
            using var decoder = DbnDecoder.Open(new MemoryStream(bytes));
            long n = 0;
            while (decoder.Read(out var r))
            {
                n += r.As<OhlcvMsg>().Volume > 0 ? 1 : 0;
            }

            return n;
        }

        static long Measure(byte[] bytes, long expected)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(expected, Decode(bytes));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        for (var i = 0; i < 3; i++)
        {
            Decode(small);
            Decode(large);
        }

        var perStream = Measure(small, 50_000);
        var doubled = Measure(large, 100_000);
        Assert.True(doubled - perStream < 1_000, $"{perStream} bytes for 50,000 records, {doubled} for 100,000: records must not allocate");
        Assert.True(perStream < 256 * 1024, $"{perStream} bytes per stream: the read buffer and the metadata, once");
    }

    [FixtureFact]
    public void SequenceReader_EveryOneAndTwoPointSplit_ReadsTheSameRecords()
    {
        var bytes = File.ReadAllBytes(Fixtures.Dbn("test_data.mbp-1.dbn"));
        var metadata = DbnMetadataReader.Read(bytes, out var start);
        var records = bytes[start..];
        var expected = Read(new ReadOnlySequence<byte>(records), metadata);
        Assert.Equal(2, expected.Count);
        for (var i = 0; i <= records.Length; i++)
        {
            Assert.Equal(expected, Read(Segments(records, i), metadata));
            for (var j = i; j <= records.Length; j += 7)
            {
                Assert.Equal(expected, Read(Segments(records, i, j), metadata));
            }
        }

        Assert.Equal(expected, Read(Segments(records, Enumerable.Range(1, records.Length - 1).ToArray()), metadata));
    }

    [FixtureFact]
    public void SequenceReader_IncompleteRecordNotFinal_WaitsForMore()
    {
        var bytes = File.ReadAllBytes(Fixtures.Dbn("test_data.trades.dbn"));
        var metadata = DbnMetadataReader.Read(bytes, out var start);
        var state = new DbnReaderState(metadata.Version, metadata.TsOut, start);
        var reader = new DbnSequenceReader(new ReadOnlySequence<byte>(bytes, start, 60), state, isFinalBlock: false);
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(48, reader.BytesConsumed);
        Assert.Equal(start + 48, reader.CurrentState.BytesConsumed);
        var next = reader.CurrentState;
        var ex = Assert.Throws<DbnFormatException>(() => new DbnSequenceReader(new ReadOnlySequence<byte>(bytes, start + 48, 12), next, isFinalBlock: true).TryRead(out _));
        Assert.Equal(start + 48, ex.Offset);
    }

    [FixtureFact]
    public async Task PipeReader_MetadataThenRecords_ReadsEveryRecord()
    {
        var bytes = File.ReadAllBytes(Fixtures.Python("LIVE/test_data.live.dbn.zst"));
        var plain = DbnRoundTripTests.Decompress(Fixtures.Python("LIVE/test_data.live.dbn.zst"));
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 64));
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < plain.Length; i += 37)
            {
                await pipe.Writer.WriteAsync(plain.AsMemory(i, Math.Min(37, plain.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });

        DbnMetadata? metadata = null;
        DbnReaderState state = default;
        var count = 0;
        var map = new DbnSymbolMap();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            if (metadata is null)
            {
                if (DbnMetadataReader.TryRead(buffer, out metadata, out consumed))
                {
                    state = new DbnReaderState(metadata!.Version, metadata.TsOut, buffer.Slice(0, consumed).Length);
                    buffer = buffer.Slice(consumed);
                }
            }

            if (metadata is not null)
            {
                count += ReadAll(buffer, ref state, result.IsCompleted, map, out consumed);
            }

            pipe.Reader.AdvanceTo(consumed, result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await writing;
        Assert.Equal(46, count);
        Assert.True(map.TryGetRoot(183748, 1700510400000000000, out var root));
        Assert.Equal(Symbol.ES, root);
        Assert.NotEmpty(bytes);
    }

    private static int ReadAll(ReadOnlySequence<byte> buffer, ref DbnReaderState state, bool final, DbnSymbolMap map, out SequencePosition consumed)
    {
        var reader = new DbnSequenceReader(buffer, state, final);
        var n = 0;
        while (reader.TryRead(out var record))
        {
            map.Apply(record);
            n++;
        }

        consumed = reader.Position;
        state = reader.CurrentState;
        return n;
    }

    internal static byte[] OhlcvStream(int count)
    {
        var stream = new MemoryStream();
        using (var writer = DbnWriter.Create(stream, new DbnMetadata { Dataset = "GLBX.MDP3", Schema = DbnSchema.Ohlcv1M, STypeIn = DbnSType.RawSymbol }, leaveOpen: true))
        {
            for (var i = 0; i < count; i++)
            {
                var p = new DbnPrice(2_030_500_000_000 + (i % 100 * 100_000_000));
                writer.Write(new OhlcvMsg(new RecordHeader(DbnRType.Ohlcv1M, 1, 42, 1_704_067_200_000_000_000UL + ((ulong)i * 60_000_000_000)), p, new DbnPrice(p.Raw + 700_000_000), new DbnPrice(p.Raw - 400_000_000), p, (ulong)(i + 1)));
            }
        }

        return stream.ToArray();
    }

    private static List<string> Read(ReadOnlySequence<byte> records, DbnMetadata metadata)
    {
        var reader = new DbnSequenceReader(records, new DbnReaderState(metadata.Version), isFinalBlock: true);
        var result = new List<string>();
        while (reader.TryRead(out var r))
        {
            result.Add(r.As<Mbp1Msg>().ToString() + r.Offset);
        }

        return result;
    }

    private static ReadOnlySequence<byte> Segments(byte[] data, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Prepend(0).Append(data.Length).ToArray();
        Chunk? first = null, last = null;
        for (var k = 0; k + 1 < bounds.Length; k++)
        {
            var memory = data.AsMemory(bounds[k], bounds[k + 1] - bounds[k]);
            last = last is null ? first = new Chunk(memory, 0) : last.Append(memory);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
