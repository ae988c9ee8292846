using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aviary.Gateway;

/// <summary>
/// Readiness of the gateway: unhealthy until it has read the routes once (it would answer 404 to
/// everything), degraded (still serving, HTTP 200) when its table is older than three reconcile
/// periods because the cluster cannot be reached.
/// </summary>
public sealed class RouteTableHealthCheck(RouteTable table, AviaryGatewayOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["services"] = table.All.Count };
        if (table.Age is not { } age)
            return Task.FromResult(HealthCheckResult.Unhealthy("the route table has not been read from the cluster yet", data: data));
        data["routeTableAgeSeconds"] = Math.Round(age.TotalSeconds, 1);
        return Task.FromResult(age > options.ReconcileInterval * 3
            ? HealthCheckResult.Degraded($"cluster unreachable: routing on a route table {age.TotalSeconds:0} s old", data: data)
            : HealthCheckResult.Healthy("route table current", data));
    }
}
