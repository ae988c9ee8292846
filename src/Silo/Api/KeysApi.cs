using Aviary.Errors;
using Aviary.Security;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/keys</c> (admin): API keys. A new key's text is in the answer to its creation and
/// nowhere else, ever; lists show ids, names, roles and status.
/// </summary>
public static class KeysApi
{
    /// <summary>The longest a key may be valid for.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3_650);

    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys").RequireRole(AviaryRole.Admin).WithBodyLimit(4 * 1024);
        api.MapGet("/", (IGrainFactory grains) => grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key).ListAsync());
        api.MapPost("/", CreateAsync);
        api.MapDelete("/{id}", async (string id, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key).RevokeAsync(id)));
        return api;
    }

    private static async Task<Created<CreatedKey>> CreateAsync(KeyRequest? body, HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        if (body is null)
            throw new AviaryValidationException("body", "must be a JSON object with name and role");
        var role = AviaryRoles.Parse(body.Role);
        DateTimeOffset? expiresAt = null;
        if (body.ExpiresIn is { } lifetime)
        {
            if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
                throw new AviaryValidationException("expiresIn", $"must be more than zero and at most {MaxLifetime.TotalDays:0} days");
            expiresAt = time.GetUtcNow() + lifetime;
        }
        var token = ApiKeyToken.New();
        var view = await grains.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key)
            .CreateAsync(token.Id, token.Hash, body.Name ?? "", role, expiresAt, context.User.Caller());
        return TypedResults.Created($"/api/keys/{view.Id}", new CreatedKey(view, token.Value));
    }
}

/// <summary>Body of <c>POST /api/keys</c>: <c>{"name": "ci", "role": "operator", "expiresIn": "90.00:00:00"}</c> (no expiry if omitted).</summary>
public sealed record KeyRequest(string? Name = null, string? Role = null, TimeSpan? ExpiresIn = null);

/// <summary>A new key: its record, and its text, shown this once.</summary>
public sealed record CreatedKey(ApiKeyView Key, string Token);
