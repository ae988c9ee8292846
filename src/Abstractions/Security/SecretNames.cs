using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary.Security;

/// <summary>What a secret may be called: 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
public static partial class SecretNames
{
    /// <summary>A secret's value, at most (a certificate in PEM fits).</summary>
    public const int MaxValueLength = 16 * 1024;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\z")]
    private static partial Regex Pattern();

    public static string Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new AviaryValidationException("name", "must not be empty");
        if (!Pattern().IsMatch(name))
            throw new AviaryValidationException("name", "must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        return name;
    }
}
