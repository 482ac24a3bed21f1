using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Live;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>
/// <c>GET /healthz</c>: the store (Unhealthy, so 503, when it cannot be reached) and the live updates (Degraded when a
/// series with WebSocket clients has had no update for <see cref="ChartServerOptions.LiveStaleAfter"/>), answered in
/// the sync worker's JSON shape: <c>{"status":…,"checks":{"store":{"status","description"},"live":{…}}}</c>.
/// </summary>
internal static class ChartServerHealth
{
    private static readonly TimeSpan s_pingTimeout = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddChartServerHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreCheck>("store")
            .AddCheck<LiveCheck>("live");
        return services;
    }

    public static IEndpointConventionBuilder MapChartServerHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync, AllowCachingResponses = false });

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Pings Redis (bounded by a short timeout); the in-memory store is always reachable.</summary>
    private sealed class StoreCheck(IChartStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (store is not RedisChartStore redis)
            {
                return HealthCheckResult.Healthy("in-memory store");
            }

            if (!redis.Connection.IsConnected)
            {
                return HealthCheckResult.Unhealthy("store unreachable: not connected");
            }

            try
            {
                var latency = await redis.Connection.GetDatabase().PingAsync().WaitAsync(s_pingTimeout, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"store reachable (ping {latency.TotalMilliseconds:0.#} ms)"));
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The exception's message may name the endpoint; the report never does.
                return HealthCheckResult.Unhealthy($"store unreachable: {ex.GetType().Name}");
            }
        }
    }

    /// <summary>The age of the newest live update of every series with WebSocket clients.</summary>
    private sealed class LiveCheck(LiveFanout fanout, IOptions<ChartServerOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var staleAfter = options.Value.LiveStaleAfter;
            var ages = fanout.SeriesAges();
            if (ages.Count == 0)
            {
                return Task.FromResult(HealthCheckResult.Healthy("no live series subscribed"));
            }

            var stale = false;
            var parts = new List<string>(ages.Count);
            foreach (var (key, age) in ages.OrderBy(a => a.Key.ToString(), StringComparer.Ordinal))
            {
                stale |= age > staleAfter;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Symbol} {key.Timeframe}: {age.TotalSeconds:0}s"));
            }

            var description = "newest update age: " + string.Join(", ", parts);
            return Task.FromResult(stale ? HealthCheckResult.Degraded($"stale (over {staleAfter.TotalSeconds:0}s): {description}") : HealthCheckResult.Healthy(description));
        }
    }
}
