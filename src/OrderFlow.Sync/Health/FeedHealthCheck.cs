using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.Health;

/// <summary>
/// The feed side of the sync engine: Unhealthy when the feed is not connected, Degraded when it is connected but no
/// market message arrived within <see cref="CandleSyncOptions.MaxMessageAge"/> (a closed market looks the same), or
/// while an outage is being backfilled; Healthy otherwise.
/// </summary>
internal sealed class FeedHealthCheck(CandleSyncEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.Status;
        var now = engine.TimeProvider.GetUtcNow();
        var age = status.LastMessageAt is { } last ? now - last : (TimeSpan?)null;
        var data = new Dictionary<string, object>
        {
            ["state"] = status.FeedState.ToString(),
            ["lastMessageAgeSeconds"] = age?.TotalSeconds ?? -1,
            ["messages"] = status.Messages,
            ["reconnects"] = status.Reconnects,
            ["awaitingBackfill"] = status.AwaitingBackfill,
        };

        HealthCheckResult result;
        if (status.FeedState is not (SourceConnectionState.Connected or SourceConnectionState.Backfilled))
        {
            result = HealthCheckResult.Unhealthy($"feed not connected ({status.FeedState})", data: data);
        }
        else if (age is null || age > engine.Options.MaxMessageAge)
        {
            result = HealthCheckResult.Degraded(age is null ? "connected, no market message yet" : $"connected, no market message for {age.Value.TotalSeconds:0} s", data: data);
        }
        else if (status.AwaitingBackfill > 0)
        {
            result = HealthCheckResult.Degraded($"connected, backfilling {status.AwaitingBackfill} series", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"connected, last message {age.Value.TotalSeconds:0.0} s ago", data);
        }

        return Task.FromResult(result);
    }
}
