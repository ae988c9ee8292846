using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Audit;
using Aviary.Silo.Security;
using Aviary.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/approvals/{token}</c>: a gated stage's one-time link. GET (viewer) says what it approves
/// and never acts (chat apps open links to preview them); POST (operator) promotes the rollout if it
/// still waits at that stage, once. The audit log records who, with the token hidden.
/// </summary>
public static class ApprovalsApi
{
    public static RouteGroupBuilder MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/approvals").WithBodyLimit(1024).WithMetadata(new AuditMiddleware.SecretRoute("token"));
        api.MapGet("/{token}", async (string token, IGrainFactory grains) =>
            TypedResults.Ok(await Grain(grains, token).GetAsync() ?? throw Unknown())).RequireRole(AviaryRole.Viewer);
        api.MapPost("/{token}", async (string token, IGrainFactory grains, HttpContext context) =>
        {
            var grain = Grain(grains, token);
            var approval = await grain.GetAsync() ?? throw Unknown();
            context.Items[AuditMiddleware.ServiceKey] = approval.Service;
            return TypedResults.Ok(await grain.UseAsync(context.User.Caller()));
        }).RequireRole(AviaryRole.Operator);
        return api;
    }

    private static IApprovalGrain Grain(IGrainFactory grains, string token) =>
        ApprovalTokens.IsWellFormed(token) ? grains.GetGrain<IApprovalGrain>(ApprovalTokens.Key(token)) : throw Unknown();

    private static AviaryNotFoundException Unknown() => new("token", "no such approval link");
}
