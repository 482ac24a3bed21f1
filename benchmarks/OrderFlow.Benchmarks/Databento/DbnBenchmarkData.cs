using OrderFlow.Databento;

namespace OrderFlow.Benchmarks.Databento;

/// <summary>Deterministic DBN streams (version 3, uncompressed) for the decode benchmarks.</summary>
internal static class DbnBenchmarkData
{
    public const int Records = 250_000;

    public static byte[] Ohlcv(int count)
    {
        var stream = new MemoryStream();
        using (var writer = DbnWriter.Create(stream, new DbnMetadata { Dataset = "GLBX.MDP3", Schema = DbnSchema.Ohlcv1M, STypeIn = DbnSType.RawSymbol }, leaveOpen: true))
        {
            var rng = new Random(42);
            var price = 2_030_500_000_000L;
            for (var i = 0; i < count; i++)
            {
                price += rng.Next(-5, 6) * 100_000_000L;
                var header = new RecordHeader(DbnRType.Ohlcv1M, 1, 42, 1_704_067_200_000_000_000UL + ((ulong)i * 60_000_000_000UL));
                writer.Write(new OhlcvMsg(header, new DbnPrice(price), new DbnPrice(price + 700_000_000), new DbnPrice(price - 400_000_000), new DbnPrice(price + 200_000_000), (ulong)rng.Next(1, 5000)));
            }
        }

        return stream.ToArray();
    }

    public static byte[] Trades(int count)
    {
        var stream = new MemoryStream();
        using (var writer = DbnWriter.Create(stream, new DbnMetadata { Dataset = "GLBX.MDP3", Schema = DbnSchema.Trades, STypeIn = DbnSType.RawSymbol }, leaveOpen: true))
        {
            var rng = new Random(7);
            var price = 2_030_500_000_000L;
            var ts = 1_704_067_200_000_000_000UL;
            for (var i = 0; i < count; i++)
            {
                price += rng.Next(-2, 3) * 100_000_000L;
                ts += (ulong)rng.Next(1, 60_000_000);
                var header = new RecordHeader(DbnRType.Mbp0, 1, 42, ts);
                writer.Write(new TradeMsg(header, new DbnPrice(price), (uint)rng.Next(1, 20), 'T', rng.Next(2) == 0 ? 'A' : 'B', 0, 0, ts + 1000, 20_000, (uint)i));
            }
        }

        return stream.ToArray();
    }
}
