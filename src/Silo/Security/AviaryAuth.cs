using System.Security.Claims;
using System.Text.Encodings.Web;
using Aviary.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Aviary.Silo.Security;

/// <summary>
/// Authentication (API keys, OIDC bearer tokens when configured, the web console's session
/// cookie: <see cref="ConsoleSession"/>) and the three roles as
/// authorization policies. Every endpoint declares the role it needs with <see cref="RequireRole"/>
/// or is marked anonymous (health); anything else mapped (the dashboard, /metrics) needs at
/// least a viewer, by the fallback policy.
/// </summary>
public static class AviaryAuth
{
    /// <summary>The scheme that picks API key, bearer token or console session per request.</summary>
    public const string Scheme = "Aviary";

    public static string Policy(AviaryRole role) => "aviary-" + role.Name();

    public static WebApplicationBuilder AddAviaryAuth(this WebApplicationBuilder builder, AuthOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        var authentication = builder.Services.AddAuthentication(Scheme);
        if (!options.Enabled)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, EveryoneIsAdminHandler>(Scheme, null);
        }
        else
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
            if (options.Jwt.IsOn)
            {
                authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, jwt =>
                {
                    jwt.Authority = options.Jwt.Authority;
                    jwt.Audience = options.Jwt.Audience;
                    jwt.RequireHttpsMetadata = options.Jwt.RequireHttpsMetadata;
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters.RoleClaimType = options.Jwt.RoleClaim;
                    jwt.TokenValidationParameters.NameClaimType = "sub";
                });
            }
            authentication.AddConsoleSession();
            // A credential the request presents wins; the console's cookie counts only without one.
            authentication.AddPolicyScheme(Scheme, "API key, bearer token or console session", policy =>
                policy.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.Presents(context.Request) ? ApiKeyAuthenticationHandler.SchemeName
                    : options.Jwt.IsOn && context.Request.Headers.Authorization.Count > 0 ? JwtBearerDefaults.AuthenticationScheme
                    : ConsoleSession.Scheme);
        }
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var role in Enum.GetValues<AviaryRole>())
            {
                // A role is granted by itself or any role above it (a token may carry just "admin").
                var granted = Enum.GetValues<AviaryRole>().Where(r => r >= role).Select(r => r.Name()).ToArray();
                authorization.AddPolicy(Policy(role), p => p.RequireAuthenticatedUser().RequireRole(granted));
            }
            authorization.FallbackPolicy = authorization.GetPolicy(Policy(AviaryRole.Viewer));
        });
        return builder;
    }

    /// <summary>The least role that may call this endpoint (or the endpoints of this group).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, AviaryRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(role));

    /// <summary>The least role an endpoint with <paramref name="metadata"/> needs: the highest it declares, else a viewer's (the fallback policy).</summary>
    public static AviaryRole RequiredRole(IEnumerable<object> metadata)
    {
        var policies = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        return Enum.GetValues<AviaryRole>().Where(r => policies.Contains(Policy(r))).DefaultIfEmpty(AviaryRole.Viewer).Max();
    }

    /// <summary>A caller named <paramref name="id"/> holding <paramref name="role"/> and every role below it.</summary>
    public static ClaimsPrincipal Principal(string id, string name, AviaryRole role, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name) };
        claims.AddRange(role.AndBelow().Select(r => new Claim(ClaimTypes.Role, r.Name())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Who the caller is, as the audit log names them: <c>key:{id}</c>, a token's subject, or <c>local</c>.</summary>
    public static string Caller(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? "anonymous";

    /// <summary>Authentication off (loopback only): every caller is the local admin.</summary>
    private sealed class EveryoneIsAdminHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal("local", "local", AviaryRole.Admin, AviaryAuth.Scheme), AviaryAuth.Scheme)));
        }
    }
}
