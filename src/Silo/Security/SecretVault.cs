using System.Security.Cryptography;
using System.Text;
using Aviary.Errors;
using Aviary.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Aviary.Silo.Security;

/// <summary>
/// Secrets encrypted at rest: values are protected with ASP.NET Core Data Protection (purpose
/// <see cref="Purpose"/>, key ring in the profile's database, <see cref="DatabaseXmlRepository"/>)
/// before they reach the secrets grain, which stores only ciphertext. No endpoint returns a value:
/// <see cref="RevealAsync"/> is for the silo's own use (webhooks sign with it), and an operator can
/// check a value with <see cref="MatchesAsync"/>.
/// </summary>
public sealed class SecretVault(IDataProtectionProvider protection, IGrainFactory grains)
{
    public const string Purpose = "Aviary.Secrets.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    private ISecretsGrain Grain => grains.GetGrain<ISecretsGrain>(ISecretsGrain.Key);

    public Task<SecretView> PutAsync(string name, string? value, string updatedBy)
    {
        SecretNames.Validate(name);
        Validate(value);
        return Grain.PutAsync(name, _protector.Protect(value!), updatedBy);
    }

    public Task<SecretView[]> ListAsync() => Grain.ListAsync();

    public Task RemoveAsync(string name) => Grain.RemoveAsync(SecretNames.Validate(name));

    /// <summary>The value, for the silo's own use: never to be answered, logged or measured.</summary>
    public async Task<string> RevealAsync(string name)
    {
        var stored = await Grain.FindAsync(SecretNames.Validate(name)) ?? throw new AviaryNotFoundException("name", $"no secret '{name}'");
        return _protector.Unprotect(stored.Ciphertext);
    }

    /// <summary>Whether <paramref name="value"/> is the stored value (compared in constant time).</summary>
    public async Task<bool> MatchesAsync(string name, string? value)
    {
        Validate(value);
        var stored = Encoding.UTF8.GetBytes(await RevealAsync(name));
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(stored), SHA256.HashData(Encoding.UTF8.GetBytes(value!)));
    }

    private static void Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
            throw new AviaryValidationException("value", "must not be empty");
        if (value.Length > SecretNames.MaxValueLength)
            throw new AviaryValidationException("value", $"must be at most {SecretNames.MaxValueLength} characters");
    }
}
