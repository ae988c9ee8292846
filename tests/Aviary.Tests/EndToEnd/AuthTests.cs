using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aviary.Security;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// Who may call the real silo's HTTP API: the first admin key, keys by role, expiry and
/// revocation, and every mapped endpoint against every kind of caller.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class AuthTests(SiloProcessFixture silo)
{
    private readonly HttpClient _admin = silo.Api();

    [Fact]
    public void EveryMappedEndpoint_DeclaresTheRoleItNeeds_OrIsPublicByDesign()
    {
        var undeclared = ApiSurface.All.Where(e => e.Role is null && !e.Anonymous).ToList();
        var anonymous = ApiSurface.All.Where(e => e.Anonymous).Select(e => e.Route).Distinct().Order().ToList();

        Assert.True(undeclared.Count == 0, $"endpoints without a role: {string.Join(", ", undeclared)}");
        // Health, the reference page's own script and icon (the library's files; the page and the document need a key),
        // and the web console's sign-in and sign-out (its static files are served before routing, holding no data).
        Assert.Equal(["/api-docs/favicon.svg", "/api-docs/scalar.aspnetcore.js", "/api-docs/scalar.js", "/api/session/", "/healthz/live", "/healthz/ready"], anonymous);
        Assert.Contains(ApiSurface.All, e => e.Route.StartsWith("/dashboard", StringComparison.Ordinal) && e.Role == AviaryRole.Viewer);
        Assert.Contains(ApiSurface.All, e => e.Route == "/metrics" && e.Role == AviaryRole.Viewer);
    }

    [Fact]
    public void FirstStart_WritesAnAdminKey_ThatOnlyTheSilosUserCanRead()
    {
        var file = Path.Combine(silo.DataDirectory, "admin.key");

        Assert.True(ApiKeyToken.TryParse(File.ReadAllText(file).Trim(), out _));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(file, silo.Silo.Stdout);
        Assert.DoesNotContain(silo.AdminKey, silo.Silo.Stdout + silo.Silo.Stderr);
    }

    [Fact]
    public async Task NoCredentials_AreRefused_ButHealthIsOpen()
    {
        using var anonymous = new HttpClient { BaseAddress = silo.Http };

        var api = await anonymous.GetAsync("/api/deployments");
        var dashboard = await anonymous.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("credential", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
        Assert.Equal("Basic", dashboard.Headers.WwwAuthenticate.Single().Scheme); // a browser asks for the key
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/live")).StatusCode);
    }

    [Fact]
    public async Task TheDashboard_OpensWithTheKeyAsBasicPassword_AndTheApiWithTheKeyHeader()
    {
        using var browser = new HttpClient { BaseAddress = silo.Http };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:" + silo.AdminKey)));
        using var script = new HttpClient { BaseAddress = silo.Http };
        script.DefaultRequestHeaders.Add("X-Api-Key", silo.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/deployments")).StatusCode);
    }

    [Fact]
    public async Task Keys_AreShownOnce_ListedWithoutSecret_AndRevoked()
    {
        var created = await CreateKeyAsync("auth-lifecycle", "operator");
        using var holder = silo.Api(created);
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync("/api/deployments")).StatusCode);
        var id = created[ApiKeyToken.Prefix.Length..created.IndexOf('_', ApiKeyToken.Prefix.Length)];
        // The secret is all that follows the id's separator (it may itself hold '_').
        var secret = created[(created.IndexOf('_', ApiKeyToken.Prefix.Length) + 1)..];

        var listed = await _admin.GetStringAsync("/api/keys");
        Assert.Contains($"\"id\":\"{id}\"", listed);
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain(ApiKeyToken.HashOf(secret), listed);

        var revoked = await _admin.DeleteAsync($"/api/keys/{id}");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await holder.GetAsync("/api/deployments")).StatusCode);
        Assert.DoesNotContain(created, silo.Silo.Stdout + silo.Silo.Stderr);
    }

    [Theory]
    [InlineData("""{"name": "x", "role": "root"}""", "role", "must be viewer, operator or admin")]
    [InlineData("""{"name": "", "role": "viewer"}""", "name", "must not be empty")]
    [InlineData("""{"name": "a\u0007b", "role": "viewer"}""", "name", "must not contain control characters")]
    [InlineData("""{"name": "x", "role": "viewer", "expiresIn": "-00:01:00"}""", "expiresIn", "must be more than zero and at most 3650 days")]
    public async Task BadKeyRequest_IsRefusedNamingTheField_AndCreatesNothing(string body, string field, string rule)
    {
        var before = await _admin.GetStringAsync("/api/keys");

        var response = await _admin.PostAsync("/api/keys", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.Equal(before, await _admin.GetStringAsync("/api/keys"));
    }

    [Fact]
    public async Task EveryEndpoint_AgainstEveryCaller_AnswersAsItsRoleSays()
    {
        var viewer = await CreateKeyAsync("matrix-viewer", "viewer");
        var @operator = await CreateKeyAsync("matrix-operator", "operator");
        var expired = await CreateKeyAsync("matrix-expired", "admin", "00:00:01");
        var revoked = await CreateKeyAsync("matrix-revoked", "admin");
        (await _admin.DeleteAsync($"/api/keys/{revoked[4..16]}")).EnsureSuccessStatusCode();
        using var expiredClient = silo.Api(expired);
        await Poll.UntilAsync(async () => (await expiredClient.GetAsync("/api/deployments")).StatusCode == HttpStatusCode.Unauthorized, "the key expired", TimeSpan.FromSeconds(10));
        (await _admin.PostAsync("/api/deployments/authz-matrix/versions/v1", null)).EnsureSuccessStatusCode();

        (string Name, string? Key, AviaryRole? Role)[] callers =
        [
            ("no credentials", null, null), ("expired key", expired, null), ("revoked key", revoked, null),
            ("viewer", viewer, AviaryRole.Viewer), ("operator", @operator, AviaryRole.Operator), ("admin", silo.AdminKey, AviaryRole.Admin),
        ];
        var wrong = new List<string>();
        foreach (var endpoint in ApiSurface.All.Where(e => !e.Anonymous))
        {
            foreach (var (name, key, role) in callers)
            {
                // A redirect is an answer: following it would drop the credentials.
                using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = silo.Http };
                if (key is not null)
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path("authz-matrix"));
                if (endpoint.Method is "POST" or "PUT")
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                // Headers are enough, and a feed would never end.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                var expected = role is null ? "401" : role >= endpoint.Role ? "allowed" : "403";
                var ok = expected switch
                {
                    "401" => status == 401,
                    "403" => status == 403,
                    // Ours never fail on the sample input; the dashboard's own may (it wants a silo's address).
                    _ => status is not (401 or 403) && (status < 500 || !endpoint.Route.StartsWith("/api", StringComparison.Ordinal)),
                };
                if (!ok)
                    wrong.Add($"{endpoint} as {name}: {status}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(ApiSurface.All.Count(e => !e.Anonymous) >= 20, "the whole surface was walked");
    }

    [Fact]
    public async Task AuthenticationOff_OnLoopback_EveryCallerIsTheLocalAdmin_AndNoKeyIsWritten()
    {
        await using var open = await EmbeddedSilo.StartAsync("--auth", "false");
        using var anyone = new HttpClient { BaseAddress = open.Http };

        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anyone.PostAsync("/api/deployments/auth-off/versions/v1", null)).StatusCode);
        Assert.False(File.Exists(Path.Combine(open.DataDirectory, "admin.key")));
    }

    [Fact]
    public async Task AConfiguredAdminKey_IsRegisteredAtStart_AndNoKeyIsWritten()
    {
        var configured = ApiKeyToken.New().Value;
        await using var other = await EmbeddedSilo.StartAsync("--Aviary:Auth:AdminKey", configured);
        using var admin = other.Api(configured);

        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/keys");

        Assert.Equal(("configured admin key", "admin", "active"),
            (keys[0].GetProperty("name").GetString(), keys[0].GetProperty("role").GetString(), keys[0].GetProperty("status").GetString()));
        Assert.False(File.Exists(Path.Combine(other.DataDirectory, "admin.key")));
        Assert.DoesNotContain(configured, other.Process.Stdout + other.Process.Stderr);
    }

    [SkippableFact]
    public async Task OrleansPorts_OfTheEmbeddedProfile_AreReachableFromThisMachineOnly()
    {
        var outside = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Skip.If(outside is null, "this machine has no address but loopback");

        foreach (var port in new[] { silo.SiloPort, silo.GatewayPort })
        {
            using var loopback = new System.Net.Sockets.TcpClient();
            await loopback.ConnectAsync(IPAddress.Loopback, port);
            using var remote = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => remote.ConnectAsync(outside!, port));
        }
    }

    private async Task<string> CreateKeyAsync(string name, string role, string? expiresIn = null)
    {
        var response = await _admin.PostAsJsonAsync("/api/keys", new { name, role, expiresIn });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
