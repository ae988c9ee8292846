namespace Aviary.Silo.Security;

/// <summary>
/// Who may call the HTTP API, section <c>Aviary:Auth</c>. API keys are always accepted; OIDC
/// bearer tokens too when <see cref="JwtOptions.Authority"/> is set.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>
    /// On (default): every endpoint but health needs a key or a token. Off: every caller is an
    /// admin, allowed only while HTTP listens on loopback (the silo refuses to start otherwise).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// An API key (<c>avk_…</c>) to accept as an admin's, registered at start if unknown: how a
    /// cluster's first admin gets in (from a Kubernetes Secret). Empty: the first silo to start
    /// with no usable key creates one and writes it to <see cref="AdminKeyFile"/>.
    /// </summary>
    public string AdminKey { get; set; } = "";

    /// <summary>Where the first admin key is written, readable by the silo's user only. Default <c>admin.key</c> in the data directory.</summary>
    public string AdminKeyFile { get; set; } = "";

    public JwtOptions Jwt { get; set; } = new();
}

/// <summary>Bearer tokens from an OIDC issuer, section <c>Aviary:Auth:Jwt</c>.</summary>
public sealed class JwtOptions
{
    /// <summary>The issuer (its <c>/.well-known/openid-configuration</c> is read for signing keys). Empty: no tokens accepted, keys only.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The claim holding the caller's roles (<c>viewer</c>, <c>operator</c>, <c>admin</c>). Default <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Whether the issuer's metadata must come over HTTPS. Default true; off only for a test issuer on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsOn => Authority.Length > 0;
}
