using Aviary.Security;
using Aviary.Silo.Audit;
using Aviary.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aviary.Silo.Api;

/// <summary>
/// <c>/api/secrets</c> (admin): secrets stored encrypted (<see cref="SecretVault"/>). Values go in
/// and are never answered: lists give names and dates, a check says whether a value matches. The
/// audit log keeps <c>***</c> for these bodies.
/// </summary>
public static class SecretsApi
{
    public static RouteGroupBuilder MapSecretsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/secrets").RequireRole(AviaryRole.Admin).WithBodyLimit(32 * 1024)
            .WithMetadata(new AuditMiddleware.SecretBody());
        api.MapGet("/", (SecretVault vault) => vault.ListAsync());
        api.MapPut("/{name}", async (string name, SecretValue? body, SecretVault vault, HttpContext context) =>
            TypedResults.Ok(await vault.PutAsync(name, body?.Value, context.User.Caller())));
        api.MapPost("/{name}/check", async (string name, SecretValue? body, SecretVault vault) =>
            TypedResults.Ok(new SecretCheck(await vault.MatchesAsync(name, body?.Value))));
        api.MapDelete("/{name}", async (string name, SecretVault vault) =>
        {
            await vault.RemoveAsync(name);
            return TypedResults.NoContent();
        });
        return api;
    }
}

/// <summary>Body of <c>PUT /api/secrets/{name}</c> and of its check: <c>{"value": "…"}</c>.</summary>
public sealed record SecretValue(string? Value = null);

/// <summary>Whether a checked value is the stored one.</summary>
public sealed record SecretCheck(bool Matches);
