namespace Aviary.Security;

/// <summary>What a secret may be called (<see cref="Identifiers.ValidateName"/>), and how long its value may be.</summary>
public static class SecretNames
{
    /// <summary>A secret's value, at most (a certificate in PEM fits).</summary>
    public const int MaxValueLength = 16 * 1024;

    public static string Validate(string? name) => Identifiers.ValidateName(name, "name");
}
