using System.Security.Cryptography;
using System.Text;

namespace Aviary.Silo.Webhooks;

/// <summary>
/// The signature every delivery carries: <c>X-Aviary-Signature: sha256=&lt;hex&gt;</c>, the
/// HMAC-SHA256 of the exact body bytes with the hook's secret (as GitHub signs its webhooks).
/// </summary>
public static class WebhookSigner
{
    public const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null || !signature.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>A new secret: 32 random bytes, hex.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
