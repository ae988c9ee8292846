namespace Aviary.Security;

/// <summary>A stored secret as lists show it: never its value.</summary>
[GenerateSerializer, Immutable, Alias("aviary.SecretView")]
public sealed record SecretView(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset UpdatedAt,
    [property: Id(3)] string UpdatedBy);

/// <summary>A secret as stored: its value encrypted by the silos' Data Protection key ring, never in clear.</summary>
[GenerateSerializer, Immutable, Alias("aviary.StoredSecret")]
public sealed record StoredSecret(
    [property: Id(0)] string Name,
    [property: Id(1)] string Ciphertext,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] string UpdatedBy)
{
    public SecretView View() => new(Name, CreatedAt, UpdatedAt, UpdatedBy);
}

/// <summary>
/// The cluster's secrets (webhook tokens, upstream credentials), one grain. It holds and stores
/// only ciphertext: encryption and decryption happen in the silo's HTTP layer, whose key ring is
/// in the profile's database.
/// </summary>
[Alias("aviary.ISecretsGrain")]
public interface ISecretsGrain : IGrainWithStringKey
{
    public const string Key = "all";
    public const int MaxSecrets = 1_000;

    [Alias("Put")]
    Task<SecretView> PutAsync(string name, string ciphertext, string updatedBy);

    [Alias("Find")]
    Task<StoredSecret?> FindAsync(string name);

    [Alias("List")]
    Task<SecretView[]> ListAsync();

    [Alias("Remove")]
    Task RemoveAsync(string name);
}
