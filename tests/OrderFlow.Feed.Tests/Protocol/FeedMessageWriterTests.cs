using System.Buffers;
using System.Text;
using OrderFlow.Candles;
using OrderFlow.Feed.Protocol;

namespace OrderFlow.Feed.Tests.Protocol;

public class FeedMessageWriterTests
{
    private static readonly Candle Sample = Candle.Create(1704067200, 2030.5, 2031.2, 2030.1, 2031.0, 15000);

    private static FeedMessage RoundTrip(Action<ArrayBufferWriter<byte>> write, out string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.True(FeedMessageReader.TryRead(buffer.WrittenSpan, out var message, out var error), error.ToString());
        return message;
    }

    [Fact]
    public void WriteCandle_IsTheSeedWireFormat()
    {
        var m = RoundTrip(b => FeedMessageWriter.WriteCandle(b, Symbol.GC, Timeframe.OneMinute, Sample), out var json);
        Assert.Equal("""{"type":"candle","symbol":"GC","timeframe":"1m","data":{"time":1704067200000,"open":2030.5,"high":2031.2,"low":2030.1,"close":2031,"volume":15000}}""", json);
        Assert.Equal(Sample, m.Candle);
    }

    [Fact]
    public void WriteTick_WithAndWithoutTime()
    {
        var tick = new Tick(1704067201250, 2031.1, 2);
        Assert.Equal(tick, RoundTrip(b => FeedMessageWriter.WriteTick(b, Symbol.GC, tick), out _).Tick);
        var noTime = RoundTrip(b => FeedMessageWriter.WriteTick(b, Symbol.GC, tick, includeTime: false), out var json);
        Assert.False(noTime.HasTime);
        Assert.DoesNotContain("time", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHistory_RoundTrips()
    {
        Candle[] candles = [Sample, Candle.Create(1704067260, 2031, 2032, 2030.5, 2031.75, 10)];
        var m = RoundTrip(b => FeedMessageWriter.WriteHistory(b, Symbol.GC, Timeframe.OneMinute, candles), out _);
        Assert.Equal(candles, m.Candles);
    }

    [Fact]
    public void WriteHistory_TimesBefore1973_GoAsSeconds()
    {
        var early = Candle.Create(3600, 1, 1, 1, 1, 1);
        var m = RoundTrip(b => FeedMessageWriter.WriteHistory(b, Symbol.GC, Timeframe.OneHour, [early]), out var json);
        Assert.Contains("\"time\":3600,", json, StringComparison.Ordinal);
        Assert.Equal(early, Assert.Single(m.Candles!));
    }

    [Fact]
    public void WriteRequests_RoundTrip()
    {
        var history = RoundTrip(b => FeedMessageWriter.WriteGetHistory(b, Symbol.NQ, Timeframe.FourHours, 2200), out var json);
        Assert.Equal("""{"type":"get_history","symbol":"NQ","timeframe":"4h","bars":2200}""", json);
        Assert.Equal(2200, history.Bars);
        Assert.Equal(FeedMessageType.Ping, RoundTrip(FeedMessageWriter.WritePing, out _).Type);
        Assert.Equal(FeedMessageType.Pong, RoundTrip(FeedMessageWriter.WritePong, out _).Type);
        Assert.Equal("boom", RoundTrip(b => FeedMessageWriter.WriteError(b, "boom"), out _).Text);
    }

    [Fact]
    public void DefaultHistoryBars_AreTheSeedDepths() =>
        Assert.Equal([100_000, 50_000, 35_000, 8_760, 2_200, 365], Timeframe.All.Select(FeedProtocol.DefaultHistoryBars));
}
