using System.Security.Cryptography;
using System.Text;

namespace Aviary.Webhooks;

/// <summary>Approval tokens: 32 random bytes, base64url; stored only as their SHA-256.</summary>
public static class ApprovalTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of the token's <see cref="IApprovalGrain"/>: its SHA-256 in hex.</summary>
    public static string Key(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> has the shape of a token (43 base64url characters), before any lookup.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
