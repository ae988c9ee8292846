using System.Security.Claims;
using Aviary.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Aviary.Silo.Security;

/// <summary>
/// The web console's sign-in: a browser's <c>EventSource</c> cannot send an API key, so the page
/// trades a key for a cookie once (<c>POST /api/session</c>). The cookie is HttpOnly,
/// SameSite=Strict, Secure over HTTPS, sliding over <see cref="Lifetime"/>, and sealed with the
/// cluster's Data Protection key ring, so any silo reads it. Every request re-checks the key it was
/// issued for: revoking or expiring the key ends its sessions.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "ConsoleSession";
    public const string CookieName = "aviary.session";

    /// <summary>A cookie-authenticated change must carry this header with value <c>1</c>: a custom header forces a CORS preflight, so another site cannot forge one.</summary>
    public const string CsrfHeader = "X-Aviary-Csrf";

    /// <summary>How long a session lasts without a request (sliding).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static AuthenticationBuilder AddConsoleSession(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = Lifetime;
            cookie.SlidingExpiration = true;
            // An API answers 401/403; it never redirects to a login page.
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.ChallengeFor(context.Request);
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = ValidateAsync;
        });

    /// <summary>Whether <paramref name="user"/> came in with a session cookie (and so must show the CSRF header to change anything).</summary>
    public static bool IsSession(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, AuthenticationType: Scheme };

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var services = context.HttpContext.RequestServices;
        var key = caller.StartsWith("key:", StringComparison.Ordinal)
            ? await services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeysGrain>(IApiKeysGrain.Key).FindAsync(caller[4..])
            : null;
        if (key is null || !key.IsUsableAt(services.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
