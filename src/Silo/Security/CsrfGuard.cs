using Aviary.Silo.Api;
using Aviary.Silo.Audit;

namespace Aviary.Silo.Security;

/// <summary>
/// Refuses (403) a change asked with the console's session cookie, or a console sign-in, without
/// <c>X-Aviary-Csrf: 1</c>. A browser sends the cookie with any request to the silo, a forged one
/// from another site included; it sends a custom header only after a CORS preflight the silo never
/// grants. Requests with an API key or a token carry no ambient credential and are not checked.
/// </summary>
public static class CsrfGuard
{
    public static IApplicationBuilder UseCsrfGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
            var signIn = HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/session", StringComparison.OrdinalIgnoreCase);
            if (changes && (signIn || ConsoleSession.IsSession(context.User)) && request.Headers[ConsoleSession.CsrfHeader] != "1")
            {
                const string rule = "a change from the web console must carry the header X-Aviary-Csrf: 1";
                context.Items[AuditMiddleware.ReasonKey] = $"{ConsoleSession.CsrfHeader}: {rule}";
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ApiProblems.WriteAsync(context.Response, ApiProblems.Of(StatusCodes.Status403Forbidden, "Forbidden", ConsoleSession.CsrfHeader, rule), context.RequestAborted);
                return;
            }
            await next(context);
        });
}
