using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>
/// The <c>/api/*</c> rate limit: a fixed window per client address (<see cref="ChartServerOptions.ApiRequestsPerWindow"/>
/// per <see cref="ChartServerOptions.ApiRateWindow"/>), no queueing; a request over it is a 429 with
/// <c>Retry-After</c>, counted (<c>orderflow.chartserver.limited{limit=api-rate}</c>) and logged at Debug.
/// </summary>
/// <remarks>
/// The address is the connection's peer. Behind a reverse proxy every client has the proxy's address: configure
/// forwarded headers first (UseForwardedHeaders with the proxy as a known proxy), or raise the limit.
/// </remarks>
internal static class ApiRateLimit
{
    /// <summary>The policy name the API group requires.</summary>
    public const string PolicyName = "api-per-address";

    public static IServiceCollection AddApiRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ChartServerOptions>>((limiter, chartOptions) =>
        {
            var settings = chartOptions.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.ApiRequestsPerWindow,
                    Window = settings.ApiRateWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = static (rejected, _) =>
            {
                var http = rejected.HttpContext;
                http.RequestServices.GetRequiredService<ChartServerMetrics>().Limited("api-rate");
                var logger = http.RequestServices.GetRequiredService<ILogger<RateLimiterOptions>>();
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    Log.ClientLimited(logger, http.Connection.RemoteIpAddress, "api-rate");
                }

                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    private static IPAddress PartitionKey(IPAddress? address) =>
        address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
