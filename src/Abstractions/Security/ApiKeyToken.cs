using System.Security.Cryptography;
using System.Text;

namespace Aviary.Security;

/// <summary>
/// An API key as the caller holds it: <c>avk_{id}_{secret}</c>, the id (12 hex digits) naming the
/// key in lists and the audit log, the secret 32 random bytes (base64url). Only the secret's
/// SHA-256 is ever stored: the secret has 256 bits of entropy, so a fast hash is enough (no
/// password stretching needed), and the stored hash cannot be turned back into a key.
/// </summary>
public sealed record ApiKeyToken(string Id, string Secret)
{
    public const string Prefix = "avk_";
    private const int IdBytes = 6;
    private const int SecretBytes = 32;

    public string Value => $"{Prefix}{Id}_{Secret}";

    public string Hash => HashOf(Secret);

    public static ApiKeyToken New() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes)), Base64Url(RandomNumberGenerator.GetBytes(SecretBytes)));

    /// <summary>Whether <paramref name="value"/> is shaped like an API key (says nothing of whether it is one).</summary>
    public static bool TryParse(string? value, out ApiKeyToken token)
    {
        token = null!;
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var rest = value.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != IdBytes * 2 || rest.Length - separator - 1 is < 40 or > 64)
            return false;
        var id = rest[..separator];
        var secret = rest[(separator + 1)..];
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }
        foreach (var c in secret)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                return false;
        }
        token = new ApiKeyToken(id.ToString(), secret.ToString());
        return true;
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="hash"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(hash));

    /// <summary>Never the secret: a key's text must not reach a log through a record's ToString.</summary>
    public override string ToString() => $"{Prefix}{Id}_…";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
