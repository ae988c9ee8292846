using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Audit;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/session</c>: the web console's sign-in (<see cref="ConsoleSession"/>). <c>POST</c> with
/// <c>{"key":"avk_…"}</c> checks the key as every request's key is checked and sets the session
/// cookie; <c>GET</c> says who is signed in; <c>DELETE</c> signs out. The audit log records the
/// sign-in with the key hidden.
/// </summary>
public static class SessionApi
{
    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder app, AuthOptions auth)
    {
        var api = app.MapGroup("/api/session").WithBodyLimit(4 * 1024);
        api.MapPost("/", (SessionRequest? body, HttpContext context, IGrainFactory grains, TimeProvider time) => SignInAsync(body, context, grains, time, auth))
            .AllowAnonymous().WithMetadata(new AuditMiddleware.SecretBody());
        api.MapGet("/", (HttpContext context) => TypedResults.Ok(SessionView.Of(context.User, auth.Enabled))).RequireRole(AviaryRole.Viewer);
        api.MapDelete("/", SignOutAsync).AllowAnonymous();
        return api;
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SignInAsync(SessionRequest? body, HttpContext context, IGrainFactory grains, TimeProvider time, AuthOptions auth)
    {
        if (!auth.Enabled)
            return TypedResults.Ok(SessionView.Of(context.User, enabled: false));
        if (string.IsNullOrWhiteSpace(body?.Key))
            throw new AviaryValidationException("key", "is required: an API key (avk_…)");
        var (key, failure) = await ApiKeyAuthenticationHandler.CheckAsync(body.Key.Trim(), grains, time.GetUtcNow());
        if (key is null)
        {
            context.Items[AuditMiddleware.ReasonKey] = $"key: {failure}";
            return TypedResults.Problem(ApiProblems.Of(StatusCodes.Status401Unauthorized, "Unauthorized", "key", failure!));
        }
        var principal = ApiKeyAuthenticationHandler.Principal(key, ConsoleSession.Scheme);
        await context.SignInAsync(ConsoleSession.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        // The audit log names the caller from here on.
        context.User = principal;
        return TypedResults.Ok(SessionView.Of(principal, enabled: true));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context, AuthOptions auth)
    {
        if (auth.Enabled)
            await context.SignOutAsync(ConsoleSession.Scheme);
        return TypedResults.NoContent();
    }
}
