using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Aviary.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Aviary.Silo.Security;

/// <summary>
/// API keys, presented as <c>Authorization: Bearer avk_…</c>, as <c>X-Api-Key: avk_…</c>, or as
/// the password of HTTP Basic (so a browser can open the dashboard: it asks for the key). The
/// key's id finds the stored key; the presented secret must hash to the stored hash, and the key
/// must be neither revoked nor expired.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Whether the request presents something shaped like an API key, wherever it is.</summary>
    public static bool Presents(HttpRequest request) => Presented(request) is not null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } presented)
            return AuthenticateResult.NoResult();
        var (key, failure) = await CheckAsync(presented, grains, time.GetUtcNow());
        return key is null ? AuthenticateResult.Fail(failure!) : AuthenticateResult.Success(new AuthenticationTicket(Principal(key), SchemeName));
    }

    /// <summary>
    /// The stored key <paramref name="presented"/> names, if its secret matches and it is usable at
    /// <paramref name="now"/>; else why not. What every request's key, and a console login, must pass.
    /// </summary>
    public static async Task<(ApiKey? Key, string? Failure)> CheckAsync(string presented, IGrainFactory grains, DateTimeOffset now)
    {
        if (!ApiKeyToken.TryParse(presented, out var token))
            return (null, "not an Aviary API key");
        var key = await grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key).FindAsync(token.Id);
        if (key is null || !ApiKeyToken.Matches(token.Secret, key.SecretHash))
            return (null, "unknown API key");
        if (key.RevokedAt is not null)
            return (null, "the API key is revoked");
        if (!key.IsUsableAt(now))
            return (null, "the API key has expired");
        return (key, null);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = ChallengeFor(Request);
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>
    /// <c>Bearer</c> for the API; <c>Basic</c> elsewhere, since browsers (the dashboard) offered
    /// Basic ask for the key.
    /// </summary>
    public static string ChallengeFor(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") ? "Bearer" : "Basic realm=\"Aviary\", charset=\"UTF-8\"";

    /// <summary>The caller a key stands for, authenticated by <paramref name="scheme"/> (this handler's, or the console's session).</summary>
    public static ClaimsPrincipal Principal(ApiKey key, string scheme = SchemeName) => AviaryAuth.Principal($"key:{key.Id}", key.Name, key.Role, scheme);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[HeaderName] is [{ Length: > 0 } header])
            return header;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer " + ApiKeyToken.Prefix, StringComparison.Ordinal))
            return authorization["Bearer ".Length..].Trim();
        if (authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':');
                return colon >= 0 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }
}
