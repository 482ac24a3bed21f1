using System.Buffers;
using System.IO.Hashing;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Candles.Serialization;
using OrderFlow.ChartServer.Api;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.Benchmarks.ChartServer;

/// <summary>
/// One uncached <c>/api/chart</c> answer of a 100,000-bar series in process, store read → response bytes, without the
/// HTTP transport that <see cref="ChartApiBenchmarks"/> adds. The baseline is the chart server's old path: load the
/// candles (parse and validate all 100,000), write the envelope and every candle again, hash the result for the ETag,
/// copy it into the payload. Ours: the store's unread bytes and version, the envelope around them, written out.
/// </summary>
/// <remarks>
/// <b>Target (#14):</b> ≤ 5 ms and no more allocated than the stored value (9.2 MB) per answer; the in-memory store
/// hands its array over without a copy, so ours allocates only the envelope (a Redis store adds one copy of the value:
/// <see cref="Redis.ChartStoreLoadBenchmarks.LoadChartJson"/>). Both write to <see cref="Stream.Null"/>.
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class ChartResponseBenchmarks
{
    private const int Bars = 100_000;
    private static readonly SeriesKey Key = new(Symbol.GC, Timeframe.OneMinute);

    private InMemoryChartStore _store = null!;
    private ChartResponseCache _cache = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _store = new InMemoryChartStore();
        await _store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, Series(Bars));
        var options = Options.Create(new ChartServerOptions { ChartCacheDuration = TimeSpan.FromTicks(1) }); // every answer reads the store
        _cache = new ChartResponseCache(_store, TimeProvider.System, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _store.Dispose();
    }

    /// <summary>The old path: parse and validate every candle, write them all again, hash, copy.</summary>
    [Benchmark(Baseline = true)]
    public async Task ParseAndRewrite()
    {
        var candles = await _store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute);
        var output = new ArrayBufferWriter<byte>((candles!.Length * 96) + 64);
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("symbol"u8, "GC"u8);
            w.WriteString("timeframe"u8, "1m"u8);
            w.WritePropertyName("candles"u8);
            CandleJsonWriter.WriteArray(w, candles);
            w.WriteEndObject();
        }

        var etag = $"W/\"{XxHash128.HashToUInt128(output.WrittenSpan):x32}\"";
        var body = output.WrittenSpan.ToArray();
        await Stream.Null.WriteAsync(body);
        GC.KeepAlive(etag);
    }

    /// <summary>Ours: the stored bytes and their version, unread, inside the envelope.</summary>
    [Benchmark]
    public async Task PassThrough()
    {
        var payload = await _cache.GetAsync(Key, CancellationToken.None);
        await payload!.WriteJsonAsync(Stream.Null, CancellationToken.None);
    }

    private static Candle[] Series(int count)
    {
        var result = new Candle[count];
        var open = 2000.0;
        for (var i = 0; i < count; i++)
        {
            var close = Math.Round(2000 + (20 * Math.Sin(i / 50.0)) + (i % 7 * 0.1), 1);
            result[i] = Candle.Create(1_700_000_000 + (i * 60L), open, Math.Max(open, close) + 0.3, Math.Min(open, close) - 0.3, close, 10 + (i % 50));
            open = close;
        }

        return result;
    }
}
