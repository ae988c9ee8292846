namespace Aviary.Security;

/// <summary>A stored API key: who it is for and what it may do, never its secret (only the secret's hash).</summary>
[GenerateSerializer, Immutable, Alias("aviary.ApiKey")]
public sealed record ApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] AviaryRole Role,
    [property: Id(3)] string SecretHash,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt,
    [property: Id(7)] string CreatedBy)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    /// <summary>The key as lists and the API show it: without the hash.</summary>
    public ApiKeyView View(DateTimeOffset now) => new(Id, Name, Role.Name(), CreatedAt, ExpiresAt, RevokedAt, CreatedBy,
        RevokedAt is not null ? "revoked" : ExpiresAt is { } expires && now >= expires ? "expired" : "active");
}

/// <summary>An API key as it is shown: no secret, no hash.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Role,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? RevokedAt,
    [property: Id(6)] string CreatedBy,
    [property: Id(7)] string Status);
