using Aviary.Deployments;
using Aviary.Routes;
using Aviary.Security;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/services</c>: the services the gateway routes, how it finds their requests, and where
/// their versions run. Versions are added by deploying them (<c>/api/deployments</c>).
/// </summary>
public static class ServicesApi
{
    public static RouteGroupBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/services").WithBodyLimit(ApiLimits.SmallBody);
        api.MapGet("/", async (RolloutOperations ops) => TypedResults.Ok((await ops.ListAsync()).Select(ServiceView.Of))).RequireRole(AviaryRole.Viewer);
        api.MapGet("/{service}", async (string service, RolloutOperations ops) => TypedResults.Ok(ServiceView.Of(await ops.GetDeploymentAsync(service)))).RequireRole(AviaryRole.Viewer);
        // How the gateway finds a service's requests is an admin's; a fixed split of its versions, an operator's.
        api.MapPut("/{service}", PutAsync).RequireRole(AviaryRole.Admin);
        api.MapDelete("/{service}", async (string service, RolloutOperations ops) =>
        {
            await ops.RemoveServiceAsync(service);
            return TypedResults.NoContent();
        }).RequireRole(AviaryRole.Admin);
        api.MapPut("/{service}/split", async (string service, SplitRequest? body, RolloutOperations ops) =>
            TypedResults.Ok(ServiceView.Of(await ops.SplitAsync(service, body?.Split ?? [], body?.To ?? [])))).RequireRole(AviaryRole.Operator);
        api.MapDelete("/{service}/split", async (string service, RolloutOperations ops) =>
            TypedResults.Ok(ServiceView.Of(await ops.SplitAsync(service, [], [])))).RequireRole(AviaryRole.Operator);
        return api;
    }

    private static async Task<Ok<ServiceView>> PutAsync(string service, ServiceRequest? body, RolloutOperations ops)
    {
        var routing = new ServiceRouting
        {
            Hosts = body?.Hosts ?? [],
            PathPrefix = body?.PathPrefix ?? "",
            StickyHeader = body?.StickyHeader ?? "",
            StickyCookie = body?.StickyCookie ?? "",
        };
        return TypedResults.Ok(ServiceView.Of(await ops.ConfigureServiceAsync(service, routing)));
    }
}

/// <summary>Body of <c>PUT /api/services/{service}</c>: at least one host or a path prefix.</summary>
public sealed record ServiceRequest(string[]? Hosts = null, string? PathPrefix = null, string? StickyHeader = null, string? StickyCookie = null);

/// <summary>Body of <c>PUT /api/services/{service}/split</c>: <c>{"split": [{"version": "1.0", "weight": 80}, …], "to": [{"version": "1.1", "destinations": ["http://…"]}]}</c>.</summary>
public sealed record SplitRequest(SplitShare[]? Split = null, VersionTarget[]? To = null);

/// <summary>A service as the gateway sees it: its routing, stable and canary versions, and where each version runs.</summary>
public sealed record ServiceView(string Service, ServiceRouting Routing, string? StableVersion, string? CanaryVersion, int CanaryWeight, VersionTarget[] Versions, SplitShare[] Split)
{
    public static ServiceView Of(DeploymentView d) =>
        new(d.Service, d.Routing, d.StableVersion.Length > 0 ? d.StableVersion : null, d.CanaryVersion, d.CanaryWeight, d.Targets, d.Split);
}
