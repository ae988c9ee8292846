namespace Aviary.Security;

/// <summary>
/// Every API key of the cluster (key <see cref="Key"/>): at most <see cref="MaxKeys"/>, of which
/// revoked and expired ones are dropped first when the bound is reached.
/// </summary>
[Alias("aviary.IApiKeysGrain")]
public interface IApiKeysGrain : IGrainWithStringKey
{
    public const string Key = "all";
    public const int MaxKeys = 1_000;
    public const int MaxNameLength = 100;

    /// <summary>Stores a new key (its secret's hash only); refused if the name or expiry breaks a rule, or the bound is reached with every key active.</summary>
    [Alias("Create")]
    Task<ApiKeyView> CreateAsync(string id, string secretHash, string name, AviaryRole role, DateTimeOffset? expiresAt, string createdBy);

    /// <summary>Stores an admin key only if no usable key exists (the first start); null if one does.</summary>
    [Alias("CreateFirst")]
    Task<ApiKeyView?> CreateFirstAsync(string id, string secretHash, string name);

    /// <summary>The key with <paramref name="id"/>, hash included, for checking a presented secret.</summary>
    [Alias("Find")]
    Task<ApiKey?> FindAsync(string id);

    [Alias("List")]
    Task<ApiKeyView[]> ListAsync();

    /// <summary>Revokes the key; revoking a revoked key changes nothing. Unknown id: not found.</summary>
    [Alias("Revoke")]
    Task<ApiKeyView> RevokeAsync(string id);

    /// <summary>How many keys can still be used (neither revoked nor expired).</summary>
    [Alias("CountUsable")]
    Task<int> CountUsableAsync();
}
