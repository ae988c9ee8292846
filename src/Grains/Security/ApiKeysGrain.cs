using Aviary.Errors;
using Aviary.Security;

namespace Aviary.Grains.Security;

[GenerateSerializer, Alias("aviary.ApiKeysState")]
public sealed class ApiKeysState
{
    [Id(0)] public List<ApiKey> Keys { get; set; } = [];
}

/// <summary>
/// The cluster's API keys. Keys are checked here on every authenticated API request (by id, then
/// the presented secret against the stored hash by the caller), so a revocation holds from the
/// next request on every silo.
/// </summary>
public sealed class ApiKeysGrain(
    [PersistentState("api-keys", Names.Storage)] IPersistentState<ApiKeysState> store,
    AviaryClock clock) : Grain, IApiKeysGrain
{
    async Task<ApiKeyView> IApiKeysGrain.CreateAsync(string id, string secretHash, string name, AviaryRole role, DateTimeOffset? expiresAt, string createdBy)
    {
        var now = clock.Now;
        if (string.IsNullOrWhiteSpace(name))
            throw new AviaryValidationException("name", "must not be empty");
        if (name.Length > IApiKeysGrain.MaxNameLength)
            throw new AviaryValidationException("name", $"must be at most {IApiKeysGrain.MaxNameLength} characters");
        if (name.Any(char.IsControl))
            throw new AviaryValidationException("name", "must not contain control characters");
        if (!Enum.IsDefined(role))
            throw new AviaryValidationException("role", "must be viewer, operator or admin");
        if (expiresAt is { } expires && expires <= now)
            throw new AviaryValidationException("expiresAt", "must be in the future");
        if (store.State.Keys.Any(k => k.Id == id))
            throw new AviaryConflictException("id", "a key with this id exists");

        var keys = store.State.Keys.ToList();
        if (keys.Count >= IApiKeysGrain.MaxKeys)
        {
            // Make room by forgetting keys that can no longer be used, oldest first.
            var spent = keys.Where(k => !k.IsUsableAt(now)).OrderBy(k => k.RevokedAt ?? k.ExpiresAt).Take(keys.Count - IApiKeysGrain.MaxKeys + 1).ToHashSet();
            if (keys.Count - spent.Count >= IApiKeysGrain.MaxKeys)
                throw new AviaryConflictException("keys", $"at most {IApiKeysGrain.MaxKeys} keys can be usable at once: revoke some first");
            keys.RemoveAll(spent.Contains);
        }
        var key = new ApiKey(id, name, role, secretHash, now, expiresAt, null, createdBy);
        keys.Add(key);
        await store.WriteOrRevertAsync(new ApiKeysState { Keys = keys });
        return key.View(now);
    }

    async Task<ApiKeyView?> IApiKeysGrain.CreateFirstAsync(string id, string secretHash, string name)
    {
        if (store.State.Keys.Any(k => k.IsUsableAt(clock.Now)))
            return null;
        return await ((IApiKeysGrain)this).CreateAsync(id, secretHash, name, AviaryRole.Admin, null, "first start");
    }

    Task<ApiKey?> IApiKeysGrain.FindAsync(string id) => Task.FromResult(store.State.Keys.Find(k => k.Id == id));

    Task<ApiKeyView[]> IApiKeysGrain.ListAsync()
    {
        var now = clock.Now;
        return Task.FromResult(store.State.Keys.Select(k => k.View(now)).ToArray());
    }

    async Task<ApiKeyView> IApiKeysGrain.RevokeAsync(string id)
    {
        var key = store.State.Keys.Find(k => k.Id == id) ?? throw new AviaryNotFoundException("id", $"no key '{id}'");
        if (key.RevokedAt is null)
        {
            var revoked = key with { RevokedAt = clock.Now };
            await store.WriteOrRevertAsync(new ApiKeysState { Keys = store.State.Keys.Select(k => k.Id == id ? revoked : k).ToList() });
            key = revoked;
        }
        return key.View(clock.Now);
    }

    Task<int> IApiKeysGrain.CountUsableAsync()
    {
        var now = clock.Now;
        return Task.FromResult(store.State.Keys.Count(k => k.IsUsableAt(now)));
    }
}
