using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OrderFlow.Candles;
using OrderFlow.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderFlow.Redis.Tests;

/// <summary>A password-protected redis-server (--requirepass), started by the test.</summary>
public sealed class RedisPasswordTests
{
    private const long T0 = 1704067200;
    private static readonly Candle[] s_chart =
        [Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000), Candle.Create(T0 + 60, 2031.0, 2031.9, 2030.8, 2031.5, 900)];

    [Fact]
    public async Task PasswordProtectedServer_WorksWithPassword_AndNeverLogsIt()
    {
        const string password = "s3cret-Pa55word";
        await using var server = await RedisServer.StartAsync(password);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var options = new ChartStoreOptions { Configuration = server.Configuration, KeyPrefix = "pw:" };

        await using var store = await RedisChartStore.ConnectAsync(options, loggerFactory);
        Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, s_chart));
        Assert.Equal(s_chart, await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));

        Assert.DoesNotContain(password, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("password=*****", options.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.GetSnapshot());
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain(password, r.Message + r.Exception, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasswordProtectedServer_WrongPassword_FailsWithChartStoreException()
    {
        await using var server = await RedisServer.StartAsync("right-password");
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var options = new ChartStoreOptions { Configuration = $"127.0.0.1:{server.Port},connectTimeout=1000,asyncTimeout=1000,password=wrong-password" };

        await using var store = await RedisChartStore.ConnectAsync(options, loggerFactory);

        var error = await Assert.ThrowsAsync<ChartStoreException>(() => store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, s_chart));
        Assert.IsAssignableFrom<Exception>(error.InnerException);
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain("wrong-password", r.Message + r.Exception, StringComparison.Ordinal));
    }
}

/// <summary>A redis-server killed and restarted on the same port mid-run.</summary>
public sealed class RedisRestartTests
{
    private const long T0 = 1704067200;
    private static readonly Candle[] s_chart =
        [Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000), Candle.Create(T0 + 60, 2031.0, 2031.9, 2030.8, 2031.5, 900)];

    [Fact]
    public async Task Restart_WriteFailsCleanly_ThenNextWriteRestoresKeys()
    {
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Any(x => x is RedisException or ChartStoreException or TimeoutException))
            {
                Interlocked.Increment(ref unobserved);
            }
        };
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            await using var server = await RedisServer.StartAsync();
            using var meters = new TestMeterFactory();
            using var errors = new MetricCollector<long>(meters, "OrderFlow.Redis", "orderflow.redis.errors");
            using var writes = new MetricCollector<long>(meters, "OrderFlow.Redis", "orderflow.redis.writes");
            var options = new ChartStoreOptions { Configuration = server.Configuration };
            await using var store = await RedisChartStore.ConnectAsync(options, meterFactory: meters);
            var db = store.Connection.GetDatabase();
            Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, s_chart));
            await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, s_chart[^1], s_chart);

            await server.StopProcessAsync();
            await Assert.ThrowsAsync<ChartStoreException>(() => store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, s_chart[^1], s_chart));
            await Assert.ThrowsAsync<ChartStoreException>(() => store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, s_chart));
            Assert.True(errors.GetMeasurementSnapshot().Count >= 2);

            // Same port, empty server (no persistence): the keys are gone until the next write.
            await server.StartProcessAsync();
            await RedisTestHelpers.WaitConnectedAsync(store.Connection);
            Assert.False(await db.KeyExistsAsync("chart:GC:1m:1year"));

            await store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, s_chart[^1], s_chart);
            Assert.True(await store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, s_chart), "an unchanged chart whose key vanished is written again");
            Assert.Equal(s_chart, await store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
            Assert.Equal(s_chart[^1], await store.LoadCurrentAsync(Symbol.GC, Timeframe.OneMinute));
            Assert.Equal(s_chart, await store.LoadBufferAsync(Symbol.GC, Timeframe.OneMinute));
            Assert.True(writes.GetMeasurementSnapshot().Count >= 4);
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }

        Assert.Equal(0, unobserved);
    }

    [Fact]
    public async Task Restart_SubscriptionIsRestored()
    {
        await using var server = await RedisServer.StartAsync();
        await using var store = await RedisChartStore.ConnectAsync(new ChartStoreOptions { Configuration = server.Configuration });
        var received = new TaskCompletionSource<LiveCandleUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeAsync(Symbol.SI, Timeframe.OneMinute, u => received.TrySetResult(u));

        await server.StopProcessAsync();
        await server.StartProcessAsync();
        await RedisTestHelpers.WaitConnectedAsync(store.Connection);

        // The client resubscribes after the reconnect; publish until the update arrives.
        var candle = Candle.Create(T0, 25.1, 25.2, 25.0, 25.15, 10);
        for (var i = 0; i < 100 && !received.Task.IsCompleted; i++)
        {
            await store.SaveLiveAsync(Symbol.SI, Timeframe.OneMinute, candle, new[] { candle });
            await Task.WhenAny(received.Task, Task.Delay(100));
        }

        Assert.Equal(candle, (await received.Task.WaitAsync(TimeSpan.FromSeconds(1))).Current);
    }
}

/// <summary>No Redis at all: start-up does not crash, operations fail with the typed error.</summary>
public sealed class RedisUnreachableTests
{
    private const long T0 = 1704067200;
    private static readonly Candle[] s_chart =
        [Candle.Create(T0, 2030.5, 2031.2, 2030.1, 2031.0, 15000), Candle.Create(T0 + 60, 2031.0, 2031.9, 2030.8, 2031.5, 900)];

    [Fact]
    public async Task ConnectAsync_NoServer_DoesNotThrow_OperationsFailWithChartStoreException()
    {
        // A port nothing listens on: start-up must not crash (abortConnect=false).
        var port = OrderFlow.Tests.Shared.LoopbackPort.Next();
        var options = new ChartStoreOptions { Configuration = $"127.0.0.1:{port},connectTimeout=500,asyncTimeout=500" };

        await using var store = await RedisChartStore.ConnectAsync(options);

        await Assert.ThrowsAsync<ChartStoreException>(() => store.LoadChartAsync(Symbol.GC, Timeframe.OneMinute));
        await Assert.ThrowsAsync<ChartStoreException>(() => store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, s_chart[0], s_chart));
    }
}

/// <summary>Helpers of the Redis fault tests.</summary>
internal static class RedisTestHelpers
{
    public static async Task WaitConnectedAsync(IConnectionMultiplexer connection)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (connection.IsConnected)
            {
                try
                {
                    await connection.GetDatabase().PingAsync();
                    return;
                }
                catch (RedisException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The connection did not come back within 20 s.");
    }
}
