using Aviary.Errors;
using Aviary.Security;

namespace Aviary.Grains.Security;

[GenerateSerializer, Alias("aviary.SecretsState")]
public sealed class SecretsState
{
    [Id(0)] public List<StoredSecret> Secrets { get; set; } = [];
}

/// <summary>The cluster's secrets, as ciphertext (see <see cref="ISecretsGrain"/>); at most <see cref="ISecretsGrain.MaxSecrets"/>.</summary>
public sealed class SecretsGrain(
    [PersistentState("secrets", Names.Storage)] IPersistentState<SecretsState> store,
    AviaryClock clock) : Grain, ISecretsGrain
{
    async Task<SecretView> ISecretsGrain.PutAsync(string name, string ciphertext, string updatedBy)
    {
        SecretNames.Validate(name);
        if (string.IsNullOrEmpty(ciphertext))
            throw new AviaryValidationException("value", "must not be empty");
        var now = clock.Now;
        var secrets = store.State.Secrets.ToList();
        var index = secrets.FindIndex(s => s.Name == name);
        if (index < 0 && secrets.Count >= ISecretsGrain.MaxSecrets)
            throw new AviaryConflictException("secrets", $"at most {ISecretsGrain.MaxSecrets} secrets: remove some first");
        var secret = index < 0
            ? new StoredSecret(name, ciphertext, now, now, updatedBy)
            : secrets[index] with { Ciphertext = ciphertext, UpdatedAt = now, UpdatedBy = updatedBy };
        if (index < 0)
            secrets.Add(secret);
        else
            secrets[index] = secret;
        await store.WriteOrRevertAsync(new SecretsState { Secrets = secrets });
        return secret.View();
    }

    Task<StoredSecret?> ISecretsGrain.FindAsync(string name) => Task.FromResult(store.State.Secrets.Find(s => s.Name == name));

    Task<SecretView[]> ISecretsGrain.ListAsync() =>
        Task.FromResult(store.State.Secrets.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.View()).ToArray());

    async Task ISecretsGrain.RemoveAsync(string name)
    {
        if (!store.State.Secrets.Any(s => s.Name == name))
            throw new AviaryNotFoundException("name", $"no secret '{name}'");
        await store.WriteOrRevertAsync(new SecretsState { Secrets = store.State.Secrets.Where(s => s.Name != name).ToList() });
    }
}
