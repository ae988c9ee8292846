using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// OIDC bearer tokens at a real silo: a test issuer on loopback publishes its metadata and signing
/// key as any OIDC provider does, and signs tokens whose <c>roles</c> claim the silo authorises on.
/// API keys keep working beside them.
/// </summary>
public sealed class JwtAuthTests : IAsyncLifetime
{
    private const string Audience = "aviary-api";
    private readonly RsaSecurityKey _signing = new(RSA.Create(2048)) { KeyId = "test-key" };
    private WebApplication? _issuer;
    private EmbeddedSilo? _silo;
    private string _authority = "";

    public async Task InitializeAsync()
    {
        var port = FreePorts.Take(1)[0];
        _authority = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_authority);
        _issuer = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_signing.Rsa.ExportParameters(false)) { KeyId = _signing.KeyId });
        _issuer.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = _authority,
            jwks_uri = $"{_authority}/jwks",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        _issuer.MapGet("/jwks", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }));
        await _issuer.StartAsync();
        _silo = await EmbeddedSilo.StartAsync(
            "--Aviary:Auth:Jwt:Authority", _authority,
            "--Aviary:Auth:Jwt:Audience", Audience,
            "--Aviary:Auth:Jwt:RequireHttpsMetadata", "false");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
        if (_issuer is not null)
            await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Tokens_AreAuthorisedByTheirRolesClaim()
    {
        var silo = _silo!;

        Assert.Equal(HttpStatusCode.OK, (await Deploy(Token(["operator"]), "jwt-operator")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Deploy(Token(["viewer"]), "jwt-viewer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(Token(["viewer"]), "/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(Token(["admin"]), "/api/keys")).StatusCode); // admin includes the roles below
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(Token([]), "/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(silo.AdminKey, "/api/keys")).StatusCode); // keys beside tokens
    }

    [Fact]
    public async Task Tokens_NotMeantForAviary_AreRefused()
    {
        var foreign = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(["admin"], audience: "someone-else"), "/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(["admin"], expires: DateTime.UtcNow.AddMinutes(-10)), "/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(["admin"], key: foreign), "/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(["admin"], issuer: "http://127.0.0.1:1"), "/api/deployments")).StatusCode);
    }

    private string Token(string[] roles, string audience = Audience, DateTime? expires = null, SecurityKey? key = null, string? issuer = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "pipeline@example", ["roles"] = roles };
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _authority,
            Audience = audience,
            Claims = claims,
            NotBefore = expiry.AddMinutes(-20),
            IssuedAt = expiry.AddMinutes(-20),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key ?? _signing, SecurityAlgorithms.RsaSha256),
        });
    }

    private Task<HttpResponseMessage> Get(string credential, string path) => Send(credential, HttpMethod.Get, path);

    private Task<HttpResponseMessage> Deploy(string credential, string service) => Send(credential, HttpMethod.Post, $"/api/deployments/{service}/versions/v1");

    private async Task<HttpResponseMessage> Send(string credential, HttpMethod method, string path)
    {
        using var client = new HttpClient { BaseAddress = _silo!.Http };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return await client.SendAsync(new HttpRequestMessage(method, path));
    }
}
