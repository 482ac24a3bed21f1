using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderFlow.Databento.Tests.Live;
using OrderFlow.MarketData;

namespace OrderFlow.Databento.Tests.Historical;

/// <summary>Tests against a local Kestrel stand-in for hist.databento.com.</summary>
public sealed class DatabentoHistoricalClientTests : IAsyncLifetime
{
    private const string Key = "db-HISTkeyabcdefghijklmnopqrsQ1W2E";
    private const ulong T0 = 1_700_000_040_000_000_000;
    private readonly ConcurrentQueue<Dictionary<string, string?>> _queries = new();
    private readonly ConcurrentQueue<(string Method, string? ContentType)> _requests = new();

    /// <summary>When set, the stand-in ignores <c>limit</c> and sends this many bars: an answer larger than asked for.</summary>
    private int? _oversend;

    /// <summary>When set, the stand-in answers get_range with these bytes, whatever was asked (a hostile answer).</summary>
    private byte[]? _rawBody;

    /// <summary>How many get_range requests the stand-in still answers 503 (a retryable failure).</summary>
    private int _unavailable;

    /// <summary>When set, the stand-in never answers get_range (until the client gives up).</summary>
    private bool _hang;
    private readonly TaskCompletionSource _clientSawFirstRecord = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;

    /// <summary>When set, the stand-in answers 422 to an <c>end</c> after it, as Databento does after a dataset's available end.</summary>
    private DateTimeOffset? _availableEnd;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapMethods("/v0/timeseries.get_range", ["GET", "POST"], ServeAsync);
        _app.MapGet("/v0/metadata.get_dataset_range", (HttpContext context) =>
        {
            _queries.Enqueue(context.Request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
            var end = _availableEnd ?? DateTimeOffset.UtcNow;
            return Results.Json(new { start = "2010-06-06T00:00:00.000000000Z", end = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) });
        });
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        _requests.Enqueue((context.Request.Method, context.Request.ContentType));
        var fields = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => (string?)p.Value.ToString())
            : context.Request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        _queries.Enqueue(fields);
        if (_hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (Interlocked.Decrement(ref _unavailable) >= 0)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsJsonAsync(new { detail = "Service temporarily unavailable." });
            return;
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":"));
        if (context.Request.Headers.Authorization != expected)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { detail = "Authentication failed." });
            return;
        }

        if (fields.GetValueOrDefault("symbols") == "BAD")
        {
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new { detail = new { message = "The following symbols could not be resolved: BAD.", case_ = "symbology_invalid_symbol" } });
            return;
        }

        if (_availableEnd is { } available && long.Parse(fields["end"]!, System.Globalization.CultureInfo.InvariantCulture) > (available.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100)
        {
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new { detail = new { message = "The dataset GLBX.MDP3 has data available up to the end of the range.", case_ = "data_end_after_available_end" } });
            return;
        }

        if (_rawBody is { } raw)
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(raw);
            return;
        }

        var count = _oversend ?? int.Parse(fields.GetValueOrDefault("limit") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var t0 = ulong.Parse(fields["start"]!, System.Globalization.CultureInfo.InvariantCulture);   // bars from the requested start
        context.Response.ContentType = "application/octet-stream";
        // DbnWriter flushes its 64 KiB buffer synchronously as records are written.
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        var metadata = new DbnMetadata { Version = 3, Dataset = "GLBX.MDP3", Schema = DbnSchema.Ohlcv1M, Start = T0, STypeIn = DbnSType.Continuous, STypeOut = DbnSType.InstrumentId };
        await using var writer = DbnWriter.Create(context.Response.Body, metadata, compress: true, leaveOpen: true);
        for (var i = 0; i < count; i++)
        {
            var close = 2_000_000_000_000 + (i % 1000 * 250_000_000L);
            writer.Write(new OhlcvMsg(new RecordHeader(DbnRType.Ohlcv1M, 1, 7, t0 + ((ulong)i * 60_000_000_000)), new DbnPrice(close), new DbnPrice(close + 1_000_000_000), new DbnPrice(close - 1_000_000_000), new DbnPrice(close), 5));
            if (count > 100_000 && i == count / 2)
            {
                // Half the body is out: the client must be decoding it before the rest exists.
                await writer.FlushAsync();
                await context.Response.Body.FlushAsync();
                await _clientSawFirstRecord.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>A source for GC whose Live side is never started (port 9): only its history requests reach the stand-in.</summary>
    private static async Task<DatabentoMarketDataSource> HistoryOnlySourceAsync(DatabentoHistoricalClient historical, string key = Key, ILoggerFactory? logs = null)
    {
        var options = new DatabentoMarketDataSourceOptions();
        options.Live.ApiKey = key;
        options.Live.Gateway = "127.0.0.1";
        options.Live.Port = 9;
        options.Roots.Add("GC");
        var source = new DatabentoMarketDataSource(options, historical, logs);
        await source.SubscribeAsync(OrderFlow.Candles.Symbol.Parse("GC"), OrderFlow.Candles.Timeframe.OneMinute, 3);
        return source;
    }

    private DatabentoHistoricalClient Client(string key, TestLogger<DatabentoHistoricalClient>? logger = null) =>
        new(new DatabentoHistoricalOptions { ApiKey = key, BaseAddress = _base }, null, logger);

    [Fact]
    public async Task GetRangeAsync_AHeaderBombAnswer_FailsAtTheHeader_WithinBoundedMemory()
    {
        // A few kilobytes of zstd whose header declares 256 MiB of metadata and which expand to 200 MB of zeros.
        _rawBody = Hostile.DbnHeaderBombTests.HeaderBomb(200L * 1000 * 1000);
        using var client = Client(Key);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var e = await Assert.ThrowsAsync<DbnFormatException>(async () =>
        {
            await using var dbn = await client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, start.AddMinutes(3), DbnSType.Continuous);
            while (await dbn.ReadBatchAsync())
            {
                while (dbn.TryRead(out _))
                {
                }
            }
        });

        // The whole process's allocations (other tests run meanwhile): far below the 256 MiB the header asks for.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("Metadata length", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public async Task MarketDataSource_ARecordBombAnswer_IsCutAtTheRequestedCount_WithinBoundedMemory()
    {
        // A valid header, then 1 GiB of bars from a few kilobytes of zstd: the source stops reading at the count asked for.
        _rawBody = RecordBomb(1L << 30);
        Assert.InRange(_rawBody.Length, 1, 256 * 1024);
        using var historical = Client(Key);
        var sink = new CountingLoggerFactory();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using var source = await HistoryOnlySourceAsync(historical, Key, sink);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        MarketDataEvent? history = null;
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            if (e.Kind == MarketDataEventKind.History)
            {
                history = e;
                break;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(history!.Value.History!.Length <= 3);
        Assert.Single(sink.Lines, l => l.EventId == 5050);
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated");
    }

    /// <summary>A valid ohlcv-1m header and one bar repeated to <paramref name="bytes"/> of records, zstd-compressed.</summary>
    private static byte[] RecordBomb(long bytes)
    {
        var metadata = new DbnMetadata { Version = 3, Dataset = "GLBX.MDP3", Schema = DbnSchema.Ohlcv1M, Start = T0, STypeIn = DbnSType.Continuous, STypeOut = DbnSType.InstrumentId };
        var plain = new MemoryStream();
        using (var writer = DbnWriter.Create(plain, metadata, compress: false, leaveOpen: true))
        {
            writer.Write(new OhlcvMsg(new RecordHeader(DbnRType.Ohlcv1M, 1, 7, T0), new DbnPrice(2_000_000_000_000), new DbnPrice(2_001_000_000_000), new DbnPrice(1_999_000_000_000), new DbnPrice(2_000_000_000_000), 5));
        }

        var all = plain.ToArray();
        var recordLength = OhlcvMsg.EncodedSize;
        var record = all.AsSpan(all.Length - recordLength).ToArray();
        var bomb = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(bomb, level: 1, leaveOpen: true))
        {
            zstd.Write(all.AsSpan(0, all.Length - recordLength));
            var chunk = new byte[recordLength * 18_725];
            for (var i = 0; i < chunk.Length; i += recordLength)
            {
                record.CopyTo(chunk, i);
            }

            for (var written = 0L; written < bytes; written += chunk.Length)
            {
                zstd.Write(chunk);
            }
        }

        return bomb.ToArray();
    }

    [Fact]
    public async Task GetRangeAsync_SendsBasicAuthAndQuery_AndDecodesTheZstdBody()
    {
        using var client = Client(Key);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        await using var dbn = await client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, start.AddMinutes(3), DbnSType.Continuous);

        var closes = new List<long>();
        while (await dbn.ReadBatchAsync())
        {
            while (dbn.TryRead(out var record))
            {
                closes.Add(record.As<OhlcvMsg>().Close.Raw);
            }
        }

        Assert.True(dbn.IsCompressed);
        Assert.Equal("GLBX.MDP3", dbn.Metadata!.Dataset);
        Assert.Equal([2_000_000_000_000, 2_000_250_000_000, 2_000_500_000_000], closes);
        var q = Assert.Single(_queries);
        Assert.Equal("GLBX.MDP3", q["dataset"]);
        Assert.Equal("GC.c.0", q["symbols"]);
        Assert.Equal("ohlcv-1m", q["schema"]);
        Assert.Equal("continuous", q["stype_in"]);
        Assert.Equal("dbn", q["encoding"]);
        Assert.Equal("zstd", q["compression"]);
        Assert.Equal("1700000040000000000", q["start"]);
        Assert.Equal("1700000220000000000", q["end"]);
        Assert.Equal("instrument_id", q["stype_out"]);
        Assert.False(q.ContainsKey("limit"));
        var (method, contentType) = Assert.Single(_requests);
        Assert.Equal("POST", method);
        Assert.StartsWith("application/x-www-form-urlencoded", contentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRangeAsync_503_IsRetriedByTheResiliencePipeline()
    {
        _unavailable = 1;
        using var client = Client(Key);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        await using var dbn = await client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, start.AddMinutes(3), DbnSType.Continuous);
        var count = 0;
        while (await dbn.ReadBatchAsync())
        {
            while (dbn.TryRead(out _))
            {
                count++;
            }
        }

        Assert.Equal(3, count);
        Assert.Equal(2, _requests.Count);   // the 503, then the retry
        Assert.All(_requests, r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task GetRangeAsync_NoAnswer_TimesOutAsDatabentoHttpExceptionWithStatus0()
    {
        _hang = true;
        using var client = new DatabentoHistoricalClient(new DatabentoHistoricalOptions
        {
            ApiKey = Key,
            BaseAddress = _base,
            AttemptTimeout = TimeSpan.FromSeconds(1),
            TotalRequestTimeout = TimeSpan.FromSeconds(1),
            MaxRetryAttempts = 0,
        });
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        var e = await Assert.ThrowsAsync<DatabentoHttpException>(() => client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, start.AddMinutes(3), DbnSType.Continuous).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, e.StatusCode);
        Assert.Contains("timeout", e.Message, StringComparison.Ordinal);
        Assert.Single(_requests);   // no retry configured
    }

    [Theory]
    [InlineData(0.5, 120, 3, "AttemptTimeout")]
    [InlineData(30, 3600, 3, "TotalRequestTimeout")]
    [InlineData(60, 30, 3, "must not exceed")]
    [InlineData(30, 120, 11, "MaxRetryAttempts")]
    [InlineData(30, 120, -1, "MaxRetryAttempts")]
    public void Constructor_InvalidTimeoutsOrRetries_Throw(double attemptSeconds, double totalSeconds, int retries, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new DatabentoHistoricalClient(new DatabentoHistoricalOptions
        {
            ApiKey = Key,
            AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds),
            TotalRequestTimeout = TimeSpan.FromSeconds(totalSeconds),
            MaxRetryAttempts = retries,
        }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRangeAsync_Limit_IsAFormField()
    {
        using var client = Client(Key);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        await using var dbn = await client.GetRangeAsync("GLBX.MDP3", ["GC.c.0", "SI.c.0"], DbnSchema.Ohlcv1M, start, start.AddMinutes(3), DbnSType.Continuous, limit: 2);
        var q = Assert.Single(_queries);
        Assert.Equal("2", q["limit"]);
        Assert.Equal("GC.c.0,SI.c.0", q["symbols"]);
        Assert.Equal("POST", Assert.Single(_requests).Method);
    }

    [Fact]
    public async Task MarketDataSource_AnswerLargerThanAskedFor_IsCutAtTheRequestedCountAndLogged()
    {
        _oversend = 50_000;   // the stand-in ignores limit=3
        using var historical = Client(Key);
        var sink = new CountingLoggerFactory();
        await using var source = await HistoryOnlySourceAsync(historical, Key, sink);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        MarketDataEvent? history = null;
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            if (e.Kind == MarketDataEventKind.History)
            {
                history = e;
                break;
            }
        }

        Assert.Equal(3, history!.Value.History!.Length);
        Assert.Equal("3", Assert.Single(_queries)["limit"]);
        var line = Assert.Single(sink.Lines, l => l.EventId == 5050);
        Assert.Equal(LogLevel.Warning, line.Level);
    }

    [Fact]
    public async Task MarketDataSource_Historical401_IsOneEvent_ItsConsumerLogs()
    {
        const string wrong = "db-WRONGkeyabcdefghijklmnopqrsT5Y6U";
        var sink = new CountingLoggerFactory();
        using var historical = new DatabentoHistoricalClient(new DatabentoHistoricalOptions { ApiKey = wrong, BaseAddress = _base }, null, sink.CreateLogger<DatabentoHistoricalClient>());
        await using var source = await HistoryOnlySourceAsync(historical, wrong, sink);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        MarketDataEvent? error = null;
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            if (e.Kind == MarketDataEventKind.ServerError)
            {
                error = e;
                break;
            }
        }

        // Reported once, as the event its consumer logs (the sync engine's 3109); the source's own line, with the
        // exception, is Debug, and nothing in either names the key.
        Assert.Contains("401", error!.Value.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sink.Lines, l => l.Level >= LogLevel.Warning);
        var line = Assert.Single(sink.Lines, l => l.EventId == 5030);
        Assert.Equal(LogLevel.Debug, line.Level);
        Assert.Contains("401", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Value.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, string.Join("\n", sink.Lines.Select(l => l.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRangeAsync_MillionRecords_StreamsWithoutBufferingTheBody()
    {
        using var client = Client(Key);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_040);
        await using var dbn = await client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, start.AddDays(800), DbnSType.Continuous, limit: 1_000_000);
        long count = 0;
        ulong last = 0;
        while (await dbn.ReadBatchAsync())
        {
            while (dbn.TryRead(out var record))
            {
                Assert.True(record.TsEvent > last);
                last = record.TsEvent;
                if (count++ == 0)
                {
                    _clientSawFirstRecord.TrySetResult();   // the server holds back the second half until now
                }
            }
        }

        Assert.Equal(1_000_000, count);
    }

    [Fact]
    public async Task GetRangeAsync_WrongKey_Throws401WithDetailAndNoKey()
    {
        const string wrong = "db-WRONGkeyabcdefghijklmnopqrsT5Y6U";
        var logger = new TestLogger<DatabentoHistoricalClient>();
        using var client = Client(wrong, logger);
        var e = await Assert.ThrowsAsync<DatabentoHttpException>(() => client.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)));
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("Authentication failed.", e.Detail);
        Assert.DoesNotContain(wrong, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, logger.All, StringComparison.Ordinal);
        Assert.Contains("db-…T5Y6U", logger.All, StringComparison.Ordinal);   // the request line (5020)
        Assert.DoesNotContain(logger.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));   // the exception is the event
    }

    [Fact]
    public async Task GetRangeAsync_BadSymbol_Throws422WithDatabentosMessage()
    {
        using var client = Client(Key);
        var e = await Assert.ThrowsAsync<DatabentoHttpException>(() => client.GetRangeAsync("GLBX.MDP3", ["BAD"], DbnSchema.Trades, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)));
        Assert.Equal(422, e.StatusCode);
        Assert.Equal("The following symbols could not be resolved: BAD.", e.Detail);
        Assert.Contains("422", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarketDataSource_SubscribeOneMinute_AnswersHistoryFromTheHistoricalApi()
    {
        using var historical = Client(Key);
        await using var source = await HistoryOnlySourceAsync(historical);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            if (e.Kind == OrderFlow.MarketData.MarketDataEventKind.History)
            {
                Assert.Equal(3, e.History!.Length);
                Assert.Equal(2000.25, e.History[1].Close);
                break;
            }
        }

        var q = Assert.Single(_queries);
        Assert.Equal("GC.c.0", q["symbols"]);
        Assert.Equal("continuous", q["stype_in"]);
    }

    [Fact]
    public async Task GetDatasetRangeAsync_ReadsTheAvailableRange()
    {
        _availableEnd = new DateTimeOffset(2026, 11, 24, 15, 50, 0, TimeSpan.Zero);
        using var client = Client(Key);
        var (start, end) = await client.GetDatasetRangeAsync("GLBX.MDP3");
        Assert.Equal(new DateTimeOffset(2010, 6, 6, 0, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(_availableEnd, end);
        Assert.Equal("GLBX.MDP3", Assert.Single(_queries)["dataset"]);
    }

    [Fact]
    public async Task MarketDataSource_HistoryAfterTheAvailableEnd_IsRequestedAgainUpToIt()
    {
        // Historical data ends 20 minutes ago: asking up to now is a 422, so the source asks where it ends.
        _availableEnd = DateTimeOffset.UtcNow.AddMinutes(-20);
        using var historical = Client(Key);
        await using var source = await HistoryOnlySourceAsync(historical);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in source.ReadEventsAsync(cts.Token))
        {
            Assert.False(e.Kind == OrderFlow.MarketData.MarketDataEventKind.ServerError && e.ToString().Contains("history", StringComparison.OrdinalIgnoreCase), e.ToString());
            if (e.Kind == OrderFlow.MarketData.MarketDataEventKind.History)
            {
                Assert.Equal(3, e.History!.Length);
                break;
            }
        }

        var queries = _queries.ToArray();
        Assert.Equal(3, queries.Length);   // the refused range, the dataset range, the clamped range
        var first = long.Parse(queries[0]["end"]!, System.Globalization.CultureInfo.InvariantCulture);
        var last = long.Parse(queries[2]["end"]!, System.Globalization.CultureInfo.InvariantCulture);
        var availableNs = (_availableEnd.Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.True(first > availableNs);
        Assert.True(last <= availableNs);
        Assert.Equal(3L * 60 * 1_000_000_000, last - long.Parse(queries[2]["start"]!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
