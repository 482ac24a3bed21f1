using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Candles;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;
using Xunit.Abstractions;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// A hostile feed server over a real loopback socket: a flood of candles for series nobody subscribed to, unsolicited
/// history answers of 8 MB, a 100 MB message. The client's memory stays bounded, the subscribed series keeps
/// updating, and every drop is counted.
/// </summary>
public sealed class FeedClientHostileServerTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    // Generous: the client keeps a 16 KiB receive buffer and a few queued events; the rest is the in-process server's
    // messages in flight (an 8 MB history frame is copied per send), the receive buffer of one large message, and what
    // a loaded machine's collector has not caught up with at the first sample (65.6 MiB seen once in ten runs beside a
    // parallel build; 6–25 MiB otherwise). An unbounded client is far above it: the flood's million candle events
    // queued take over 100 MB, and the 60 history answers decoded and queued some 300 MB.
    private const long HeapGrowthBound = 96 * MiB;

    private const int FragmentBytes = 64 * 1024;

    /// <summary>A realistic history answer: <paramref name="count"/> one-minute bars of GC with order flow.</summary>
    /// <param name="count">How many bars.</param>
    /// <param name="start">The first open time, Unix seconds.</param>
    /// <param name="price">The price level (GC about 2,030.5 with tick 0.1; NQ about 21,034.25 with tick 0.25).</param>
    /// <param name="tick">The tick size.</param>
    /// <param name="maxVolume">The largest buy or sell volume of a bar.</param>
    internal static Candle[] HistoryWithOrderFlow(int count, long start, double price = 2030.5, double tick = 0.1, int maxVolume = 400)
    {
        var random = new Random(7);
        var candles = new Candle[count];
        var digits = tick < 0.1 ? 2 : 1;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            var close = Math.Round(open + ((random.Next(21) - 10) * tick), digits);
            var high = Math.Round(Math.Max(open, close) + (random.Next(5) * tick), digits);
            var low = Math.Round(Math.Min(open, close) - (random.Next(5) * tick), digits);
            var buy = random.Next(1, maxVolume);
            var sell = random.Next(1, maxVolume);
            candles[i] = Candle.Create(start + (i * 60L), open, high, low, close, buy + sell, buy, sell);
            price = close;
        }

        return candles;
    }

    [Theory]
    [InlineData("GC", 2030.5, 0.1, 400)]
    [InlineData("NQ", 21034.25, 0.25, 20_000)]
    public void LargestLegitimateMessage_A100000BarHistoryWithOrderFlow_FitsTheDefaultLimitWithRoomToSpare(string symbol, double price, double tick, int maxVolume)
    {
        var buffer = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteHistory(buffer, Symbol.Parse(symbol), Timeframe.OneMinute, HistoryWithOrderFlow(100_000, 1_704_067_200, price, tick, maxVolume));
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan[..300]));
        output.WriteLine($"{symbol}: 100,000-bar history answer with order flow: {buffer.WrittenCount:N0} bytes; default limit {FeedClientOptions.DefaultMaxMessageBytes:N0}");
        Assert.InRange(buffer.WrittenCount, 5_000_000, FeedClientOptions.DefaultMaxMessageBytes * 2 / 3);
    }

    [Fact]
    public async Task HostileServer_FloodOfUnsubscribedCandles_UnsolicitedHistory_AndA100MBFrame_MemoryStaysBounded_SubscribedSeriesKeepsUpdating_EveryDropCounted()
    {
        var log = new FakeLogger();
        var quiet = new FakeTimeProvider(DateTimeOffset.UtcNow); // the server's market sends nothing unless told to
        await using var h = await FeedHarness.StartAsync(serverTime: quiet, start: false, logger: log);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 10);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "the subscribed series' history");

        // An 8 MB history answer nobody asked for (GC 1m: subscribed, no request pending) and one for a series nobody
        // subscribed to (SI 1m).
        var start = Timeframe.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - (200_000 * 60L);
        var all = HistoryWithOrderFlow(100_000, start);
        var sizing = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteHistory(sizing, Symbol.GC, Timeframe.OneMinute, all);
        var bars = (int)(100_000L * 8_000_000 / sizing.WrittenCount);
        var unsolicited = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteHistory(unsolicited, Symbol.GC, Timeframe.OneMinute, all.AsSpan(0, bars));
        var unsubscribedHistory = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteHistory(unsubscribedHistory, Symbol.SI, Timeframe.OneMinute, all.AsSpan(0, bars));
        output.WriteLine($"history frames: {bars:N0} bars, {unsolicited.WrittenCount:N0} bytes");
        all = null;
        sizing = null;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(true);
        var peak = long.MinValue;
        var clock = Stopwatch.StartNew();

        // Unsolicited 8 MB history answers at 10/s while the candle flood runs, alternately for GC and SI: sent
        // between batches, when the server's queue to the client is empty, so the fragmentation fault applies to them
        // and to nothing else (the in-process server then sends 64 KiB frames from small pooled buffers; whole, each
        // send would leave a pooled 8 MiB buffer behind in some thread's pool slot, which this process's heap would
        // count against the client). Each is sent once the client has dropped the one before: the server copies every
        // frame it sends, and a backlog of copies (a loaded machine that fell behind the 10/s, then sent the due
        // frames at once, measured 69.6 MiB) would be this process's heap too.
        var historySent = new int[2];
        var historyDue = TimeSpan.Zero;
        async Task SendDueHistoryAsync()
        {
            while (historyDue <= clock.Elapsed && historySent[0] + historySent[1] < 60)
            {
                historyDue += TimeSpan.FromMilliseconds(100);
                h.Server.Faults.FragmentNext(1, FragmentBytes);
                var gc = (historySent[0] + historySent[1]) % 2 == 0;
                h.Server.Faults.SendRaw(gc ? unsolicited.WrittenMemory : unsubscribedHistory.WrittenMemory);
                historySent[gc ? 0 : 1]++;
                await h.WaitForCounterAsync("orderflow.feed.discarded|type=historical_candles|reason=unsolicited", historySent[0]);
                await h.WaitForCounterAsync("orderflow.feed.discarded|type=historical_candles|reason=unsubscribed", historySent[1]);
            }
        }

        // 1,000,000 candle frames for random series nobody subscribed to, in batches; after each batch a candle of
        // the subscribed series, which must come through.
        const int Frames = 1_000_000;
        const int Batch = 25_000;
        var random = new Random(42);
        var frame = new ArrayBufferWriter<byte>(256);
        var name = new char[6];
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var minute = Timeframe.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        for (var sent = 0; sent < Frames;)
        {
            for (var i = 0; i < Batch; i++, sent++)
            {
                name[0] = 'U';
                for (var c = 1; c < name.Length; c++)
                {
                    name[c] = Alphabet[random.Next(Alphabet.Length)];
                }

                var price = 100 + random.Next(1000);
                frame.ResetWrittenCount();
                FeedMessageWriter.WriteCandle(frame, Symbol.Parse(new string(name)), Timeframe.OneMinute, Candle.Create(minute, price, price + 1, price - 1, price, 5, 3, 2));
                h.Server.Faults.SendRaw(frame.WrittenMemory);
            }

            // The in-process server's backlog is this process's heap too: let the client take each batch before the
            // next, so the heap measured is the client's.
            await h.WaitForCounterAsync("orderflow.feed.discarded|type=candle|reason=unsubscribed", sent);
            await ExpectSubscribedUpdateAsync(h, minute, 2000 + (sent / Batch * 0.25));
            await SendDueHistoryAsync();
            if (sent % (Batch * 8) == 0)
            {
                var sample = GC.GetTotalMemory(true) - baseline;
                var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                output.WriteLine($"after {sent:N0} frames: heap growth {sample / (double)MiB:0.0} MiB (large object heap {info.GenerationInfo[3].SizeAfterBytes / (double)MiB:0.0} MiB, fragmented {info.FragmentedBytes / (double)MiB:0.0} MiB)");
                peak = Math.Max(peak, sample);
            }
        }

        // A 100 MB message: skipped with one error line naming the limit; the connection carries on.
        var huge = new byte[100 * 1024 * 1024];
        huge.AsSpan().Fill((byte)' ');
        """{"type":"historical_candles","symbol":"GC","timeframe":"1m","data":["""u8.CopyTo(huge);
        h.Server.Faults.FragmentNext(1, FragmentBytes);
        h.Server.Faults.SendRaw(huge);
        huge = null;
        await h.WaitForCounterAsync("orderflow.feed.rejected|reason=FrameTooLarge", 1);
        await ExpectSubscribedUpdateAsync(h, minute, 1999.75);
        output.WriteLine($"after the 100 MB frame: heap growth {(GC.GetTotalMemory(true) - baseline) / (double)MiB:0.0} MiB");

        // Every drop is counted.
        await h.WaitForCounterAsync("orderflow.feed.discarded|type=candle|reason=unsubscribed", Frames);
        await h.WaitForCounterAsync("orderflow.feed.discarded|type=historical_candles|reason=unsolicited", historySent[0]);
        await h.WaitForCounterAsync("orderflow.feed.discarded|type=historical_candles|reason=unsubscribed", historySent[1]);
        Assert.Equal(Frames, h.Counter("orderflow.feed.discarded|type=candle|reason=unsubscribed"));
        Assert.Equal(historySent[0], h.Counter("orderflow.feed.discarded|type=historical_candles|reason=unsolicited"));
        Assert.Equal(historySent[1], h.Counter("orderflow.feed.discarded|type=historical_candles|reason=unsubscribed"));
        Assert.Equal(1, h.Counter("orderflow.feed.rejected|reason=FrameTooLarge"));
        Assert.Equal(1, h.Events.Count(e => e.Kind == MarketDataEventKind.History));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = GC.GetTotalMemory(true) - baseline;
        peak = Math.Max(peak, growth);
        var elapsed = clock.Elapsed;
        var records = log.Collector.GetSnapshot();
        var dropLines = records.Count(r => r.Id.Id == 1017);
        output.WriteLine($"flood of {Frames:N0} candles + {historySent[0] + historySent[1]} history frames of {unsolicited.WrittenCount / 1e6:0.0} MB + one 100 MB frame in {elapsed.TotalSeconds:0.0} s; managed heap growth after: {growth / (double)MiB:0.0} MiB, largest sampled: {peak / (double)MiB:0.0} MiB; drop log lines: {dropLines}; client queue: {h.Client.PendingEvents}");
        Assert.True(peak < HeapGrowthBound, $"managed heap grew by {peak / (double)MiB:0.0} MiB");

        // Logged once per burst (the first drop of a kind, then at most one line per kind per 10 s), not per message.
        Assert.Equal(1, records.Count(r => r.Id.Id == 1016));
        Assert.Contains("Feed:MaxMessageBytes", records.Single(r => r.Id.Id == 1016).Message, StringComparison.Ordinal);
        Assert.InRange(dropLines, 3, 3 * ((int)(elapsed.TotalSeconds / 10) + 2));
    }

    [Fact]
    public async Task TicksOfSymbolsNobodySubscribedTo_AreDroppedAtTheReader_AndCounted()
    {
        var quiet = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await FeedHarness.StartAsync(serverTime: quiet, start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.FiveMinutes, 1);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "the history answer");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 100; i++)
        {
            h.Server.Publish(MarketDataEvent.ForTick(Symbol.SI, new Tick(now + i, 25, 1)));
            h.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(now / 60_000 * 60, 1, 1, 1, 1, 1)));
        }

        // A tick of a subscribed symbol (any timeframe of it) comes through, after all of the above.
        h.Server.Publish(MarketDataEvent.ForTick(Symbol.GC, new Tick(now + 100, 2030.5, 1)));
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.Tick), what: "the GC tick");
        Assert.Equal(100, h.Counter("orderflow.feed.discarded|type=tick|reason=unsubscribed"));
        Assert.Equal(100, h.Counter("orderflow.feed.discarded|type=candle|reason=unsubscribed"));
        Assert.DoesNotContain(h.Events, e => e.Symbol == Symbol.SI || e.Kind == MarketDataEventKind.Candle);
    }

    [Fact]
    public async Task AnUnsolicitedHistoryAnswer_IsDroppedOnItsHeader_ItsCandlesNeverDecoded()
    {
        var quiet = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await FeedHarness.StartAsync(serverTime: quiet, start: false);
        await h.Client.SubscribeAsync(Symbol.GC, Timeframe.OneMinute, 1);
        await h.Client.StartAsync();
        await h.WaitForAsync(es => es.Any(e => e.Kind == MarketDataEventKind.History), what: "the history answer");

        // 64 KB of candles for GC 1m (subscribed, nothing pending), then bytes no decoder accepts: decoded, the frame
        // would be rejected as malformed; dropped on its header, it is counted as unsolicited and nothing else.
        var start = Timeframe.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - (10_000 * 60L);
        var frame = new ArrayBufferWriter<byte>();
        FeedMessageWriter.WriteHistory(frame, Symbol.GC, Timeframe.OneMinute, HistoryWithOrderFlow(1_000, start));
        var bytes = frame.WrittenSpan.ToArray();
        Assert.True(bytes.Length > 16 * 1024);
        "}}}garbage"u8.CopyTo(bytes.AsSpan(bytes.Length - 12));
        h.Server.Faults.SendRaw(bytes);

        // A candle of the subscribed series after it comes through: the client read past it.
        var minute = Timeframe.OneMinute.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await ExpectSubscribedUpdateAsync(h, minute, 2001.5);
        Assert.Equal(1, h.Counter("orderflow.feed.discarded|type=historical_candles|reason=unsolicited"));
        Assert.Equal(0, h.Counter("orderflow.feed.rejected"));
    }

    private static async Task ExpectSubscribedUpdateAsync(FeedHarness h, long minute, double close)
    {
        h.Server.Publish(MarketDataEvent.ForCandle(Symbol.GC, Timeframe.OneMinute, Candle.Create(minute, 1999, 2100, 1990, close, 10, 6, 4)));
        await h.WaitForAsync(
            es => es.Any(e => e.Kind == MarketDataEventKind.Candle && e.Symbol == Symbol.GC && e.Candle.Close == close),
            TimeSpan.FromSeconds(120),
            $"the subscribed series' update {close} through the flood");
    }
}
