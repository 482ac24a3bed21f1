using Xunit.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Databento.Replay;
using OrderFlow.MarketData.Tests;
using ZstdSharp;

namespace OrderFlow.Databento.Tests.Hostile;

/// <summary>
/// Issue 15, DBN findings 2 (replay streams records into candles, keeping a bounded window of ticks) and 3 (contracts
/// roll at the CME session, 17:00 America/Chicago).
/// </summary>
public sealed class DbnReplayBoundTests(ITestOutputHelper log) : IDisposable
{
    private static readonly DateTimeOffset Day0 = DbnTestFiles.Day0;

    private readonly DbnTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static TradeMsg Trade(uint id, ulong ts, decimal price, uint size, char side) =>
        new(new RecordHeader(DbnRType.Mbp0, 1, id, ts), DbnTestFiles.Price(price), size, 'T', side, 0, 0, ts + 1000, 0, 1);

    private static DbnMetadata GcTradesMetadata(DateTimeOffset start, int days) =>
        DbnTestFiles.Metadata(DbnSchema.Trades, start, start.AddDays(days), ("GCZ6", DbnTestFiles.Gcz6), ("GCG7", DbnTestFiles.Gcg7));

    /// <summary>Two days of GC trades, two contracts, a trade every <paramref name="stepMs"/> ms for each.</summary>
    private string WriteManyTrades(int stepMs)
    {
        var path = Path.Combine(_files.Dir, "gc-many.trades.dbn.zst");
        using var writer = DbnWriter.Create(File.Create(path), GcTradesMetadata(Day0, 3), compress: true);
        var random = new Random(15);
        var end = Day0.AddDays(2).ToUnixTimeMilliseconds();
        for (var ms = Day0.ToUnixTimeMilliseconds(); ms < end; ms += stepMs)
        {
            var ts = (ulong)ms * 1_000_000UL;
            var day = (ms - Day0.ToUnixTimeMilliseconds()) / 86_400_000;
            writer.Write(Trade(DbnTestFiles.Gcz6, ts, 2000m + (random.Next(200) / 10m), (uint)random.Next(1, day == 0 ? 20 : 3), random.Next(3) switch { 0 => 'B', 1 => 'A', _ => 'N' }));
            writer.Write(Trade(DbnTestFiles.Gcg7, ts, 2020m + (random.Next(200) / 10m), (uint)random.Next(1, day == 0 ? 3 : 20), random.Next(2) == 0 ? 'B' : 'A'));
        }

        return path;
    }

    [Fact]
    public void TickWindow_FoldedCandlesEqualTheAggregationOfEveryTrade()
    {
        var path = WriteManyTrades(stepMs: 500); // 2 x 345,600 trades
        var options = (int maxTicks) => new DbnReplayOptions { StartTime = Day0.AddDays(3), MaxTicks = maxTicks };
        var all = DbnReplaySource.Load([path], options(int.MaxValue), TestMarket.Clock());
        var bounded = DbnReplaySource.Load([path], options(10_007), TestMarket.Clock()); // the window ends inside a minute

        Assert.Equal(0, all.FoldedTrades);
        Assert.Equal(2 * 345_600 - 10_007, bounded.FoldedTrades);
        Assert.Equal(all.Contracts, bounded.Contracts);
        Assert.Equal(all.SkippedRecords, bounded.SkippedRecords);
        Assert.True(bounded.RecordCount < 2 * 2 * 1440 + 10_007, $"{bounded.RecordCount} records kept");
        foreach (var timeframe in new[] { Timeframe.OneMinute, Timeframe.FiveMinutes, Timeframe.OneHour, Timeframe.OneDay })
        {
            var expected = all.GetHistory(Symbol.GC, timeframe, 10_000);
            var actual = bounded.GetHistory(Symbol.GC, timeframe, 10_000);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i].Equals(actual[i]), $"{timeframe} #{i}: {expected[i]} != {actual[i]}");
                Assert.Equal(expected[i].High, actual[i].High);
                Assert.Equal(expected[i].Low, actual[i].Low);
                Assert.Equal(expected[i].Close, actual[i].Close);
                Assert.Equal(expected[i].Volume, actual[i].Volume, 6);
                Assert.Equal(expected[i].BuyVolume, actual[i].BuyVolume, 6);
                Assert.Equal(expected[i].SellVolume, actual[i].SellVolume, 6);
            }
        }
    }

    [Fact]
    public void TickWindow_LargeTradesFile_RetainedMemoryStaysBounded()
    {
        var path = WriteManyTrades(stepMs: 100); // 2 x 1,728,000 trades: ~330 MB held as ticks before the window
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var source = DbnReplaySource.Load([path], new DbnReplayOptions { StartTime = Day0.AddDays(3) }, TestMarket.Clock());
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;

        log.WriteLine($"retained {retained} bytes, {source.FoldedTrades} trades folded");
        Assert.Equal(2 * 1_728_000 - DbnReplayOptions.DefaultMaxTicks, source.FoldedTrades);
        Assert.True(retained < 100L * 1024 * 1024, $"{retained} bytes retained by the replay");
        Assert.Equal(2 * 1440, source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10_000).Length);
        GC.KeepAlive(source);
    }

    [Fact]
    public void RecordBomb_AFewKilobytesOfZstd_StreamsWithinBoundedMemory()
    {
        // 1 GiB of valid trade records (one contract, one minute) from a few kilobytes of zstd.
        const long Bytes = 1L << 30;
        var record = Trade(DbnTestFiles.Gcz6, DbnTestFiles.Nanos(Day0.AddHours(15)), 2000m, 1, 'B');
        var output = new MemoryStream();
        using (var writer = DbnWriter.Create(output, GcTradesMetadata(Day0, 1), compress: false, leaveOpen: true))
        {
            writer.Write(record);
        }

        var header = output.ToArray();
        var recordBytes = header.AsSpan(header.Length - 48).ToArray();
        var bomb = new MemoryStream();
        using (var zstd = new CompressionStream(bomb, level: 1, leaveOpen: true))
        {
            zstd.Write(header.AsSpan(0, header.Length - 48));
            var chunk = new byte[48 * 21_845];
            for (var i = 0; i < chunk.Length; i += 48)
            {
                recordBytes.CopyTo(chunk, i);
            }

            for (var written = 0L; written < Bytes; written += chunk.Length)
            {
                zstd.Write(chunk);
            }
        }

        var compressed = bomb.ToArray();
        Assert.InRange(compressed.Length, 1, 256 * 1024);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var source = DbnReplaySource.Read(new MemoryStream(compressed), "records.dbn.zst", new DbnReplayOptions { StartTime = Day0.AddDays(1) }, TestMarket.Clock());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        log.WriteLine($"{compressed.Length} bytes of zstd, {source.FoldedTrades} trades folded, {allocated} bytes allocated");
        Assert.True(source.FoldedTrades > 20_000_000, $"{source.FoldedTrades} trades folded");
        Assert.True(allocated < 200L * 1024 * 1024, $"{allocated} bytes allocated for {Bytes} bytes of records");
        var minute = Assert.Single(source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10));
        Assert.Equal(source.FoldedTrades + DbnReplayOptions.DefaultMaxTicks, (long)minute.Volume);
    }

    [Fact]
    public void ZeroBomb_AfterValidMetadata_FailsAtTheFirstRecord()
    {
        var output = new MemoryStream();
        using (DbnWriter.Create(output, GcTradesMetadata(Day0, 1), compress: false, leaveOpen: true))
        {
        }

        var metadataLength = output.Length;
        var bomb = new MemoryStream();
        using (var zstd = new CompressionStream(bomb, level: 1, leaveOpen: true))
        {
            zstd.Write(output.ToArray());
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 512; i++)
            {
                zstd.Write(zeros);
            }
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DbnFormatException>(() => DbnReplaySource.Read(new MemoryStream(bomb.ToArray()), "zeros.dbn.zst"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 16 * 1024 * 1024);
        Assert.Equal(metadataLength, ex.Offset);
    }

    [Theory]
    [InlineData("2026-10-27", 22)] // CDT: the session starts 22:00 UTC
    [InlineData("2026-11-03", 23)] // CST (DST ended 1 November): 23:00 UTC
    public void Roll_HappensAtTheCmeSession_NotAtMidnightUtc(string rollEve, int sessionHourUtc)
    {
        // Session D: GCZ6 leads; session D+1 (from 17:00 Chicago on D) GCG7 leads. An evening trade half an hour into
        // session D+1 (still UTC day D) goes with GCG7; a UTC-day roll would count it for D and serve GCZ6 all day D+1.
        var eve = DateOnly.Parse(rollEve, System.Globalization.CultureInfo.InvariantCulture);
        var day = new DateTimeOffset(eve.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var path = Path.Combine(_files.Dir, "roll.trades.dbn");
        using (var writer = DbnWriter.Create(File.Create(path), GcTradesMetadata(day.AddDays(-1), 4)))
        {
            var noon = day.AddHours(12);
            var evening = day.AddHours(sessionHourUtc).AddMinutes(30);
            var beforeEvening = day.AddHours(sessionHourUtc).AddMinutes(-30);
            var nextNoon = day.AddDays(1).AddHours(12);
            writer.Write(Trade(DbnTestFiles.Gcz6, DbnTestFiles.Nanos(noon), 2000m, 100, 'B'));
            writer.Write(Trade(DbnTestFiles.Gcg7, DbnTestFiles.Nanos(noon), 2020m, 10, 'B'));
            writer.Write(Trade(DbnTestFiles.Gcz6, DbnTestFiles.Nanos(beforeEvening), 2001m, 5, 'A'));
            writer.Write(Trade(DbnTestFiles.Gcg7, DbnTestFiles.Nanos(evening), 2021m, 150, 'B'));
            writer.Write(Trade(DbnTestFiles.Gcz6, DbnTestFiles.Nanos(evening), 2002m, 1, 'A'));
            writer.Write(Trade(DbnTestFiles.Gcg7, DbnTestFiles.Nanos(nextNoon), 2022m, 5, 'B'));
            writer.Write(Trade(DbnTestFiles.Gcz6, DbnTestFiles.Nanos(nextNoon), 2003m, 20, 'A'));
        }

        var source = DbnReplaySource.Load([path], new DbnReplayOptions { StartTime = day.AddDays(3) }, TestMarket.Clock());

        Assert.Equal(
            [new DbnReplayContract(Symbol.GC, "GCZ6", DbnTestFiles.Gcz6, eve, eve), new DbnReplayContract(Symbol.GC, "GCG7", DbnTestFiles.Gcg7, eve.AddDays(1), eve.AddDays(1))],
            source.Contracts);
        var minutes = source.GetHistory(Symbol.GC, Timeframe.OneMinute, 10);
        Assert.True(minutes.Select(c => c.Close).SequenceEqual([2000.0, 2001.0, 2021.0, 2022.0]), string.Join(" | ", minutes));
        Assert.Equal(3, source.SkippedRecords); // GCG7 at noon, GCZ6 in the evening and the next noon
    }
}
