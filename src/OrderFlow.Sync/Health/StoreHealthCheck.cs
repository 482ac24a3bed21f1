using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderFlow.Sync.Health;

/// <summary>
/// The store side of the sync engine: Unhealthy when the last write failed and none succeeded since, Degraded
/// before the first write, Healthy otherwise. Writes happen at least every chart-sync interval once history is in.
/// </summary>
internal sealed class StoreHealthCheck(CandleSyncEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.Status;
        var data = new Dictionary<string, object>
        {
            ["chartsStored"] = status.ChartsStored,
            ["series"] = status.Series,
            ["storeFailures"] = status.StoreFailures,
            ["pendingLiveWrites"] = status.PendingLiveWrites,
        };

        HealthCheckResult result;
        if (status.LastStoreFailureAt is { } failed && (status.LastStoreSuccessAt is not { } ok || failed > ok))
        {
            result = HealthCheckResult.Unhealthy($"store unreachable: {status.LastStoreError}", data: data);
        }
        else if (status.LastStoreSuccessAt is null)
        {
            result = HealthCheckResult.Degraded("no store write yet", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{status.ChartsStored}/{status.Series} charts stored", data);
        }

        return Task.FromResult(result);
    }
}
