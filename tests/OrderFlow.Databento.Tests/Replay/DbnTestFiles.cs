using OrderFlow.Databento;

namespace OrderFlow.Databento.Tests;

/// <summary>DBN files generated with <see cref="DbnWriter"/> in a private temporary folder, deleted on dispose.</summary>
public sealed class DbnTestFiles : IDisposable
{
    /// <summary>Tuesday 24 November 2026, 00:00 UTC: the first day of the generated GC files.</summary>
    public static readonly DateTimeOffset Day0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    public const uint Gcz6 = 101;
    public const uint Gcg7 = 102;
    public const uint GcSpread = 103;
    public const uint Esz6 = 201;

    public DbnTestFiles() => Directory.CreateDirectory(Dir);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"orderflow-dbn-replay-{Guid.NewGuid():N}");

    public static ulong Nanos(DateTimeOffset time) => (ulong)time.ToUnixTimeMilliseconds() * 1_000_000UL;

    public static DbnPrice Price(decimal value) => DbnPrice.FromDecimal(value);

    /// <summary>
    /// Three days of 1-minute GC bars from a parent-style download: the December contract (GCZ6) trades most on day 0,
    /// February (GCG7) from day 1 on, and on day 2 GCZ6 is close behind again; a calendar spread trades the most
    /// of all (it has no root and must be ignored), and ES trades a little every minute.
    /// </summary>
    public string WriteGcRoll(bool compress = true, string name = "GC.FUT.ohlcv-1m.dbn.zst")
    {
        var path = Path.Combine(Dir, name);
        var metadata = Metadata(DbnSchema.Ohlcv1M, Day0, Day0.AddDays(3),
            ("GCZ6", Gcz6), ("GCG7", Gcg7), ("GCZ6-GCG7", GcSpread), ("ESZ6", Esz6));
        using var writer = DbnWriter.Create(File.Create(path), metadata, compress);
        ulong[] z6Volume = [100, 50, 70];
        ulong[] g7Volume = [10, 60, 65];
        for (var day = 0; day < 3; day++)
        {
            for (var minute = 0; minute < 1440; minute++)
            {
                var time = Day0.AddDays(day).AddMinutes(minute);
                var step = (minute % 50) * 0.1m;
                writer.Write(Bar(DbnRType.Ohlcv1M, Gcz6, time, 2000m + step, 2000.2m + step, 1999.9m + step, 2000.1m + step, z6Volume[day]));
                writer.Write(Bar(DbnRType.Ohlcv1M, Gcg7, time, 2020m + step, 2020.2m + step, 2019.9m + step, 2020.1m + step, g7Volume[day]));
                writer.Write(Bar(DbnRType.Ohlcv1M, GcSpread, time, 20m, 20.1m, 19.9m, 20m, 1000));
                writer.Write(Bar(DbnRType.Ohlcv1M, Esz6, time, 6000m, 6000.5m, 5999.5m, 6000.25m, 5));
            }
        }

        return path;
    }

    /// <summary>A few 1-minute GC bars of one contract.</summary>
    public string WriteGcBars(int minutes, string name = "gc-bars.dbn")
    {
        var path = Path.Combine(Dir, name);
        using var writer = DbnWriter.Create(File.Create(path), Metadata(DbnSchema.Ohlcv1M, Day0, Day0.AddDays(1), ("GCZ6", Gcz6)));
        for (var minute = 0; minute < minutes; minute++)
        {
            var p = 2000m + minute;
            writer.Write(Bar(DbnRType.Ohlcv1M, Gcz6, Day0.AddMinutes(minute), p, p + 0.5m, p - 0.5m, p + 0.25m, 10));
        }

        return path;
    }

    /// <summary>ES trades (time offset from <see cref="Day0"/> 14:30, price, size) without an aggressor side (<c>'N'</c>), in a trades file.</summary>
    public string WriteEsTrades(params (TimeSpan After, decimal Price, uint Size)[] trades) =>
        WriteEsSidedTrades(trades.Select(t => (t.After, t.Price, t.Size, 'N')).ToArray());

    /// <summary>ES trades (time offset from <see cref="Day0"/> 14:30, price, size, aggressor side <c>'B'</c>/<c>'A'</c>/<c>'N'</c>), in a trades file.</summary>
    public string WriteEsSidedTrades(params (TimeSpan After, decimal Price, uint Size, char Side)[] trades)
    {
        var path = Path.Combine(Dir, "es-trades.dbn.zst");
        using var writer = DbnWriter.Create(File.Create(path), Metadata(DbnSchema.Trades, Day0, Day0.AddDays(1), ("ESZ6", Esz6)), compress: true);
        var open = Day0.AddHours(14.5);
        foreach (var (after, price, size, side) in trades)
        {
            var ts = Nanos(open + after);
            writer.Write(new TradeMsg(new RecordHeader(DbnRType.Mbp0, 1, Esz6, ts), Price(price), size, 'T', side, 0, 0, ts + 1000, 0, 1));
        }

        return path;
    }

    /// <summary>
    /// ES top-of-book records (time offset from <see cref="Day0"/> 14:30, price, size, action, side) in an mbp-1 file:
    /// the trades are action <c>'T'</c>, the rest book updates.
    /// </summary>
    public string WriteEsMbp1(params (TimeSpan After, decimal Price, uint Size, char Action, char Side)[] records)
    {
        var path = Path.Combine(Dir, "es-mbp-1.dbn");
        using var writer = DbnWriter.Create(File.Create(path), Metadata(DbnSchema.Mbp1, Day0, Day0.AddDays(1), ("ESZ6", Esz6)));
        var open = Day0.AddHours(14.5);
        foreach (var (after, price, size, action, side) in records)
        {
            var ts = Nanos(open + after);
            var level = new BidAskPair(Price(price - 0.25m), Price(price + 0.25m), 10, 10, 2, 2);
            writer.Write(new Mbp1Msg(new RecordHeader(DbnRType.Mbp1, 1, Esz6, ts), Price(price), size, action, side, 0, 0, ts + 1000, 0, 1, level));
        }

        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test: the temp folder is cleaned up by the OS.
        }
    }

    private static OhlcvMsg Bar(byte rtype, uint id, DateTimeOffset time, decimal open, decimal high, decimal low, decimal close, ulong volume) =>
        new(new RecordHeader(rtype, 1, id, Nanos(time)), Price(open), Price(high), Price(low), Price(close), volume);

    internal static DbnMetadata Metadata(DbnSchema schema, DateTimeOffset start, DateTimeOffset end, params (string Raw, uint Id)[] instruments) => new()
    {
        Dataset = "GLBX.MDP3",
        Schema = schema,
        Start = Nanos(start),
        End = Nanos(end),
        STypeIn = DbnSType.RawSymbol,
        STypeOut = DbnSType.InstrumentId,
        Symbols = instruments.Select(i => i.Raw).ToArray(),
        Mappings = instruments.Select(i => new DbnSymbolMapping(i.Raw,
            [new DbnMappingInterval(DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime), i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))])).ToArray(),
    };
}
