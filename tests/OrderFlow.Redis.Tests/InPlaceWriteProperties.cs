using System.Text.Json;
using FsCheck.Xunit;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Serialization;
using OrderFlow.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderFlow.Redis.Tests;

/// <summary>
/// The in-place write scheme holds: for any sequence of chart states (live updates, new candles, candles dropped from
/// the front, back-filled candles in the middle) and any interleaving of key loss, a writer restart, a whole value
/// written by another writer and an older value restored from a snapshot, the stored value parses, with any JSON
/// parser, to exactly the candles a whole write would store. On a real redis-server.
/// </summary>
public sealed class InPlaceWriteProperties : IClassFixture<RedisServerFixture>
{
    private const long T0 = 1_704_067_200;
    private readonly RedisServerFixture _redis;

    public InPlaceWriteProperties(RedisServerFixture redis) => _redis = redis;

    private enum Fault
    {
        None,
        KeyLost,
        WriterRestarted,
        OtherWriterWroteWhole,
        SnapshotRestored,
    }

    /// <summary>Charts: the writer sends what <see cref="ChartChanges.Between"/> reports (sometimes over-estimated, as a book may), or the whole chart when the store asks.</summary>
    /// <param name="seed">Seeds the chart, its changes and the faults.</param>
    [Property(MaxTest = 1000)]
    public void TheStoredChart_AlwaysParsesToTheChart(int seed) => RunChartAsync(seed).GetAwaiter().GetResult();

    /// <summary>Live buffers: <see cref="IChartStore.SaveLiveAsync"/> finds what changed itself; the buffer rolls as candles open.</summary>
    /// <param name="seed">Seeds the candles and the faults.</param>
    [Property(MaxTest = 300)]
    public void TheStoredLiveBuffer_AlwaysParsesToTheBuffer(int seed) => RunBufferAsync(seed).GetAwaiter().GetResult();

    /// <summary>The in-memory store follows the same scheme (the demo's store): its live buffer, with key loss and foreign writes.</summary>
    /// <param name="seed">Seeds the candles and the faults.</param>
    [Property(MaxTest = 300)]
    public void TheInMemoryLiveBuffer_AlwaysParsesToTheBuffer(int seed)
    {
        var rng = new Random(seed);
        var options = new ChartStoreOptions { BufferSize = rng.Next(1, 60), BufferRefreshInterval = TimeSpan.Zero };
        using var store = new InMemoryChartStore(options);
        const string Key = "live:GC:1m:buffer";
        var candles = Enumerable.Range(0, rng.Next(1, 80)).Select(i => Bar(i, Price(rng))).ToList();
        var next = candles.Count;
        byte[]? snapshot = null;
        for (var step = rng.Next(1, 60); step > 0; step--)
        {
            if (rng.Next(3) == 0)
            {
                candles.Add(Bar(next++, Price(rng)));
            }
            else
            {
                candles[^1] = Bar(next - 1, Price(rng));
            }

            switch (rng.Next(12))
            {
                case 0:
                    store.RemoveRaw(Key);
                    break;
                case 1 when snapshot is not null:
                    store.SetRaw(Key, snapshot, TimeSpan.FromMinutes(10));
                    break;
            }

            store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candles[^1], candles.ToArray()).GetAwaiter().GetResult();
            Assert.True(store.TryGetRaw(Key, out var stored, out _));
            Assert.Equal(candles.TakeLast(options.BufferSize), Parse(stored));
            if (rng.Next(5) == 0)
            {
                snapshot = stored;
            }
        }
    }

    /// <summary>A live minute of a year-long chart costs a few hundred bytes, not the year: counted by redis-server itself.</summary>
    [Fact]
    public async Task ALiveUpdateOfA100kChart_SendsBytesNotMegabytes()
    {
        await using var server = await RedisServer.StartAsync();
        var configuration = ConfigurationOptions.Parse(server.Configuration);
        configuration.AsyncTimeout = 60_000; // 9 MB on a loaded CI machine
        configuration.AllowAdmin = true; // INFO
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var store = new RedisChartStore(connection, new ChartStoreOptions());
        var chart = Enumerable.Range(0, 100_000).Select(i => Bar(i, 2000 + (i % 50 * 0.1))).ToList();
        await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart.ToArray());
        var before = await InputBytesAsync(connection);

        var previous = chart.ToArray();
        chart[^1] = Bar(chart.Count - 1, 2003.7);
        chart.Add(Bar(chart.Count, 2003.9));
        chart.RemoveAt(0);
        var changes = ChartChanges.Between(previous, chart.ToArray());
        Assert.True(await store.SaveChartChangesAsync(Symbol.GC, Timeframe.OneMinute, changes, chart.ToArray().AsMemory(changes.FirstChanged)));

        var sent = await InputBytesAsync(connection) - before;
        Assert.InRange(sent, 1, 2_000);
        Assert.Equal(chart, Parse(await connection.GetDatabase().StringGetAsync("chart:GC:1m:1year")));
    }

    private async Task RunChartAsync(int seed)
    {
        var rng = new Random(seed);
        var prefix = $"t:inplace:{Guid.NewGuid():N}:";
        var options = new ChartStoreOptions { KeyPrefix = prefix };
        RedisKey key = prefix + "chart:GC:1m:1year";
        var db = _redis.Connection.GetDatabase();
        var writer = new RedisChartStore(_redis.Connection, options);
        var other = new RedisChartStore(_redis.Connection, options);
        var chart = Enumerable.Range(0, rng.Next(1, 300)).Select(i => Bar(i, Price(rng))).ToList();
        var next = chart.Count;
        Candle[]? written = null;
        RedisValue snapshot = RedisValue.Null;
        try
        {
            for (var step = rng.Next(1, 40); step > 0; step--)
            {
                Change(chart, rng, ref next);
                switch ((Fault)(rng.Next(12) < 4 ? rng.Next(1, 5) : 0))
                {
                    case Fault.KeyLost:
                        await db.KeyDeleteAsync(key);
                        break;
                    case Fault.WriterRestarted:
                        writer = new RedisChartStore(_redis.Connection, options);
                        written = null;
                        break;
                    case Fault.OtherWriterWroteWhole:
                        await other.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, chart.Take(rng.Next(1, chart.Count + 1)).ToArray());
                        break;
                    case Fault.SnapshotRestored when !snapshot.IsNull:
                        await db.StringSetAsync(key, snapshot);
                        break;
                }

                var now = chart.ToArray();
                var changes = written is null ? ChartChanges.Reset : ChartChanges.Between(written, now);
                if (!changes.IsReset && rng.Next(4) == 0)
                {
                    // A book may report a candle as changed that is not: the store must take an over-estimate too.
                    changes = changes with { FirstChanged = rng.Next(changes.FirstChanged + 1) };
                }

                if (changes.IsReset || !await writer.SaveChartChangesAsync(Symbol.GC, Timeframe.OneMinute, changes, now.AsMemory(changes.FirstChanged)))
                {
                    await writer.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, now);
                }

                written = now;
                var stored = await db.StringGetAsync(key);
                Assert.Equal(chart, Parse(stored));
                if (rng.Next(5) == 0)
                {
                    snapshot = stored;
                }
            }
        }
        finally
        {
            await db.KeyDeleteAsync(key);
        }
    }

    private async Task RunBufferAsync(int seed)
    {
        var rng = new Random(seed);
        var prefix = $"t:inplace:{Guid.NewGuid():N}:";
        var options = new ChartStoreOptions { KeyPrefix = prefix, BufferSize = rng.Next(1, 60), BufferRefreshInterval = TimeSpan.Zero };
        RedisKey key = prefix + "live:GC:1m:buffer";
        var db = _redis.Connection.GetDatabase();
        var writer = new RedisChartStore(_redis.Connection, options);
        var candles = Enumerable.Range(0, rng.Next(1, 80)).Select(i => Bar(i, Price(rng))).ToList();
        var next = candles.Count;
        RedisValue snapshot = RedisValue.Null;
        try
        {
            for (var step = rng.Next(1, 60); step > 0; step--)
            {
                if (rng.Next(3) == 0)
                {
                    candles.Add(Bar(next++, Price(rng)));
                }
                else
                {
                    candles[^1] = Bar(next - 1, Price(rng));
                }

                switch ((Fault)(rng.Next(12) < 3 ? rng.Next(1, 5) : 0))
                {
                    case Fault.KeyLost:
                        await db.KeyDeleteAsync(key);
                        break;
                    case Fault.WriterRestarted:
                        writer = new RedisChartStore(_redis.Connection, options);
                        break;
                    case Fault.OtherWriterWroteWhole:
                        await new RedisChartStore(_redis.Connection, options).SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candles[^1], candles.ToArray());
                        break;
                    case Fault.SnapshotRestored when !snapshot.IsNull:
                        await db.StringSetAsync(key, snapshot);
                        break;
                }

                await writer.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, candles[^1], candles.ToArray());
                var stored = await db.StringGetAsync(key);
                Assert.Equal(candles.TakeLast(options.BufferSize), Parse(stored));
                if (rng.Next(5) == 0)
                {
                    snapshot = stored;
                }
            }
        }
        finally
        {
            await db.KeyDeleteAsync(key);
            await db.KeyDeleteAsync(prefix + "live:GC:1m:current");
        }
    }

    // One step of a chart's life: a live update, new candles, candles dropped by the window, or a back-filled candle.
    private static void Change(List<Candle> chart, Random rng, ref int next)
    {
        switch (rng.Next(8))
        {
            case 0 or 1 or 2:
                chart[^1] = Bar(next - 1, Price(rng));
                break;
            case 3 or 4:
                for (var n = rng.Next(1, 4); n > 0; n--)
                {
                    chart.Add(Bar(next++, Price(rng)));
                }

                break;
            case 5:
                chart.RemoveRange(0, Math.Min(rng.Next(1, 6), chart.Count - 1));
                break;
            case 6:
                var at = rng.Next(chart.Count);
                chart[at] = Bar(chart[at].OpenTime, Price(rng));
                break;
            default:
                break;
        }
    }

    private static double Price(Random rng) => Math.Round(2000 + (rng.Next(-500, 500) * 0.1), 1);

    private static Candle Bar(int index, double close) => Bar(T0 + (index * 60L), close);

    private static Candle Bar(long time, double close) => Candle.Create(time, close - 0.5, close + 0.7, close - 0.9, close, 10);

    // A strict JSON parser first (what a page or another language reads), then the store's own reader.
    private static List<Candle> Parse(RedisValue stored)
    {
        Assert.False(stored.IsNull, "the key is missing");
        return Parse((byte[])stored!);
    }

    private static List<Candle> Parse(byte[] bytes)
    {
        using (var document = JsonDocument.Parse(bytes))
        {
            Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        }

        var candles = CandleJsonReader.ReadArray(bytes, out var rejected);
        Assert.Equal(0, rejected);
        return [.. candles!];
    }

    private static async Task<long> InputBytesAsync(ConnectionMultiplexer connection)
    {
        var info = await connection.GetServers()[0].InfoAsync("stats");
        return long.Parse(info.SelectMany(g => g).Single(p => p.Key == "total_net_input_bytes").Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
