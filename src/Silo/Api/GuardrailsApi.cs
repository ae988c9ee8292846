using Aviary.Deployments;
using Aviary.Guardrails;
using Aviary.Security;
using Aviary.Silo.Security;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/guardrails</c>: the release rules (freeze windows, limits on active rollouts, approval
/// rules), read by anyone, set by an admin; <c>/api/queue</c>: rollouts holding slots and deploys
/// waiting in order. Refusals under these rules are problem details naming the rule, and the audit
/// log keeps them with the rest.
/// </summary>
public static class GuardrailsApi
{
    public static IEndpointRouteBuilder MapGuardrailsApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/guardrails").WithBodyLimit(ApiLimits.SmallBody);
        rules.MapGet("/", (RolloutOperations ops) => ops.GetGuardrailsAsync()).RequireRole(AviaryRole.Viewer);
        rules.MapPut("/", (GuardrailPolicy? body, RolloutOperations ops) => ops.SetGuardrailsAsync(body)).RequireRole(AviaryRole.Admin);

        var queue = app.MapGroup("/api/queue").WithBodyLimit(ApiLimits.SmallBody);
        queue.MapGet("/", (RolloutOperations ops) => ops.QueueAsync()).RequireRole(AviaryRole.Viewer);
        queue.MapDelete("/{service}", (string service, string? reason, RolloutOperations ops) => ops.WithdrawAsync(service, reason ?? "")).RequireRole(AviaryRole.Operator);
        return app;
    }
}
