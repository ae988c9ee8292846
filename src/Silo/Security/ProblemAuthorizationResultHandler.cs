using Aviary.Security;
using Aviary.Silo.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Aviary.Silo.Security;

/// <summary>
/// 401 and 403 as problem details naming what is missing (<c>credential</c>, or the <c>role</c>
/// the endpoint needs), after ASP.NET Core's own challenge (which sets <c>WWW-Authenticate</c>).
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
        var (field, rule) = authorizeResult.Forbidden
            ? ("role", $"needs the role {AviaryAuth.RequiredRole(context.GetEndpoint()?.Metadata ?? []).Name()}")
            : ("credential", "no valid credential: an API key or a bearer token, unknown, revoked or expired");
        context.Items[AuditMiddleware.ReasonKey] = rule;
        if (context.Response.HasStarted)
            return;
        var problem = Api.ApiProblems.Of(context.Response.StatusCode, authorizeResult.Forbidden ? "Forbidden" : "Unauthorized", field, rule);
        await Api.ApiProblems.WriteAsync(context.Response, problem, context.RequestAborted);
    }
}
