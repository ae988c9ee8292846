using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Aviary.Silo.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    /// <summary>
    /// <c>/healthz/live</c>: the process answers (no checks, so a slow database never restarts the pod).
    /// <c>/healthz/ready</c>: this silo is an active cluster member and its storage answers.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Probes carry no credentials: health is the one thing open without a key.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous().DisableRateLimiting();
        return app;
    }
}
