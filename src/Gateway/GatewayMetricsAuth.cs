using Aviary.Security;
using Microsoft.AspNetCore.Http;

namespace Aviary.Gateway;

/// <summary>
/// The gateway's <c>/_aviary/metrics</c> (they name services, versions and their traffic) wants
/// the same credential as the silo's <c>/metrics</c>: an API key of a viewer or above
/// (<c>Authorization: Bearer avk_…</c> or <c>X-Api-Key</c>), checked against the cluster's keys on
/// every scrape, so a revocation holds at once. While the cluster is unreachable (when the
/// metrics matter most: outcomes held for it), a key that passed within <see cref="Remembered"/>
/// still does. Health stays open for probes.
/// </summary>
public sealed class GatewayMetricsAuth(IGrainFactory grains, TimeProvider time)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>How long a key that passed is taken on trust while the cluster cannot be asked.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset At)> _passed = new();

    /// <summary>Null when the request may read the metrics; else the status and why.</summary>
    public async Task<(int Status, string Rule)?> RefuseAsync(HttpRequest request)
    {
        var presented = request.Headers[HeaderName] is [{ Length: > 0 } header] ? header
            : request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim()
            : null;
        if (presented is null)
            return (StatusCodes.Status401Unauthorized, "needs an API key of a viewer (Authorization: Bearer avk_…)");
        if (!ApiKeyToken.TryParse(presented, out var token))
            return (StatusCodes.Status401Unauthorized, "is not an Aviary API key");
        var now = time.GetUtcNow();
        ApiKey? key;
        var asked = true;
        try
        {
            key = await grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key).FindAsync(token.Id);
        }
        catch (Exception ex) when (ex is TimeoutException or Orleans.Runtime.OrleansException)
        {
            if (!_passed.TryGetValue(token.Id, out var known) || now - known.At > Remembered)
                return (StatusCodes.Status503ServiceUnavailable, "cannot be checked while the cluster is unreachable");
            key = known.Key;
            asked = false;
        }
        if (key is null || !ApiKeyToken.Matches(token.Secret, key.SecretHash) || !key.IsUsableAt(now))
        {
            _passed.TryRemove(token.Id, out _);
            return (StatusCodes.Status401Unauthorized, "is unknown, revoked or expired");
        }
        if (key.Role < AviaryRole.Viewer)
            return (StatusCodes.Status403Forbidden, "needs the role viewer");
        if (asked)
            _passed[token.Id] = (key, now);
        return null;
    }

    /// <summary>Answers the metrics requests this refuses; passes the others on.</summary>
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (await RefuseAsync(context.Request) is not { } refusal)
        {
            await next();
            return;
        }
        if (refusal.Status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: refusal.Status, title: "Not allowed", detail: $"credential: {refusal.Rule}",
            extensions: new Dictionary<string, object?> { ["field"] = "credential", ["rule"] = refusal.Rule }).ExecuteAsync(context);
    }
}
