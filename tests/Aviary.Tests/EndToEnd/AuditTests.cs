using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aviary.Silo.Audit;
using Aviary.Silo.Storage;
using Aviary.Tests.Failover;

namespace Aviary.Tests.EndToEnd;

/// <summary>The API's audit log on a real silo (SQLite), and its store on PostgreSQL.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class AuditTests(SiloProcessFixture silo)
{
    private readonly HttpClient _admin = silo.Api();

    [Fact]
    public async Task EveryChange_AcceptedOrRefused_IsRecorded_WithWhoWhatAndWhy_AndNoSecret()
    {
        var service = $"audited-{Guid.NewGuid():N}"[..16];
        var viewerKey = (await (await _admin.PostAsJsonAsync("/api/keys", new { name = "audit-viewer", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var viewer = silo.Api(viewerKey);
        using var anonymous = new HttpClient { BaseAddress = silo.Http };

        // Fields the API does not know are refused by name: the refusal is recorded, its secrets hidden.
        var routed = await _admin.PutAsync($"/api/services/{service}",
            new StringContent(JsonSerializer.Serialize(new { hosts = new[] { service }, password = "hunter2-planted", nested = new { apiKey = "avk_planted" } }), Encoding.UTF8, "application/json"));
        var deployed = await _admin.PostAsync($"/api/deployments/{service}/versions/v1", null);
        var bad = await _admin.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { stages = new[] { 10, 120 } });
        var forbidden = await viewer.PostAsync($"/api/deployments/{service}/abort", null);
        var unauthenticated = await anonymous.PostAsync($"/api/deployments/{service}/undo", null);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized),
            (routed.StatusCode, deployed.StatusCode, bad.StatusCode, forbidden.StatusCode, unauthenticated.StatusCode));

        var entries = (await _admin.GetFromJsonAsync<JsonElement>($"/api/audit?service={service}&since=1h")).EnumerateArray().ToList();

        Assert.Equal(["POST /api/deployments/{service}/undo", "POST /api/deployments/{service}/abort", "POST /api/deployments/{service}/versions/{version}", "POST /api/deployments/{service}/versions/{version}", "PUT /api/services/{service}"],
            entries.Select(e => $"{e.GetProperty("method").GetString()} {e.GetProperty("route").GetString()}"));
        var (undo, abort, refused, accepted, configured) = (entries[0], entries[1], entries[2], entries[3], entries[4]);
        Assert.Equal(("anonymous", "refused"), (undo.GetProperty("caller").GetString(), undo.GetProperty("outcome").GetString()));
        Assert.StartsWith("no valid credential", undo.GetProperty("reason").GetString());
        Assert.Equal(("refused", "needs the role operator", 403), (abort.GetProperty("outcome").GetString(), abort.GetProperty("reason").GetString(), abort.GetProperty("status").GetInt32()));
        Assert.StartsWith("key:", abort.GetProperty("caller").GetString());
        Assert.Equal("refused", refused.GetProperty("outcome").GetString());
        Assert.StartsWith("stages: ", refused.GetProperty("reason").GetString());
        Assert.Contains("120", refused.GetProperty("body").GetString());
        Assert.Equal(("accepted", $"/api/deployments/{service}/versions/v1"), (accepted.GetProperty("outcome").GetString(), accepted.GetProperty("target").GetString()));
        Assert.Equal("127.0.0.1", accepted.GetProperty("remote").GetString());
        Assert.Equal(("refused", "password: is not a field of this request"), (configured.GetProperty("outcome").GetString(), configured.GetProperty("reason").GetString()));
        var body = configured.GetProperty("body").GetString()!;
        Assert.Contains(service, body);
        Assert.DoesNotContain("hunter2-planted", body);
        Assert.DoesNotContain("avk_planted", body);
        Assert.Contains("***", body);
        Assert.DoesNotContain("hunter2-planted", silo.Silo.Stdout + silo.Silo.Stderr);
    }

    [Fact]
    public async Task Console_ReadsTheLogOverHttp_WithAKeyOrKeyFile_AndSaysWhenItMayNot()
    {
        var service = $"audit-cli-{Guid.NewGuid():N}"[..18];
        (await _admin.PostAsync($"/api/deployments/{service}/versions/v1", null)).EnsureSuccessStatusCode();
        var viewerKey = (await (await _admin.PostAsJsonAsync("/api/keys", new { name = "audit-cli-viewer", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("aviary-token-").FullName, "admin.key");
        await File.WriteAllTextAsync(keyFile, silo.AdminKey + "\n");
        var server = silo.Http.ToString();
        Task<(int ExitCode, string Stdout, string Stderr)> Aviary(params string[] args) => ProcessRun.RunAsync(RepoPaths.ClientDll, TimeSpan.FromSeconds(60), args);

        var listed = await Aviary("audit", "--service", service, "--server", server, "--token", silo.AdminKey, "--output", "json");
        var fromFile = await Aviary("audit", "--service", service, "--since", "1h", "--server", server, "--token-file", keyFile);
        var viewer = await Aviary("audit", "--server", server, "--token", viewerKey);
        var unknown = await Aviary("audit", "--server", server, "--token", "avk_000000000000_" + new string('a', 43));
        var unreachable = await Aviary("audit", "--server", "http://127.0.0.1:1", "--token", silo.AdminKey);

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var entry = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("POST", "accepted"), (entry.GetProperty("method").GetString(), entry.GetProperty("outcome").GetString()));
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.Contains($"/api/deployments/{service}/versions/v1", fromFile.Stdout);
        Assert.Equal((4, "error: not allowed: needs the role admin"), (viewer.ExitCode, viewer.Stderr.TrimEnd()));
        Assert.Equal(4, unknown.ExitCode);
        Assert.StartsWith("error: no valid credential for", unknown.Stderr);
        Assert.Equal(2, unreachable.ExitCode);
    }

    [Fact]
    public async Task BadQuery_IsRefusedNamingTheField()
    {
        var since = await _admin.GetAsync("/api/audit?since=yesterday-ish");
        var limit = await _admin.GetAsync("/api/audit?limit=5000");

        Assert.Equal(HttpStatusCode.BadRequest, since.StatusCode);
        Assert.Equal("since", (await since.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("limit", (await limit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [SkippableFact]
    public async Task Store_OnPostgreSql_AppendsQueriesAndPrunes()
    {
        await using var database = await ClusterTests.DatabaseAsync();
        await using (var connection = await PostgresSchema.OpenAsync(database.ConnectionString, TimeSpan.FromSeconds(5)))
            await PostgresSchema.ApplyAsync(connection);
        var store = new AuditStore(database.ConnectionString, postgres: true);
        var now = DateTimeOffset.UtcNow;
        AuditEntry Entry(string service, DateTimeOffset at) =>
            new(0, at, "key:000000000000", "POST", "/api/deployments/{service}/abort", service, $"/api/deployments/{service}/abort", null, "10.0.0.1", 200, AuditEntry.Accepted, null);

        await store.AppendAsync(Entry("old", now.AddDays(-100)), default);
        await store.AppendAsync(Entry("shop", now.AddMinutes(-5)), default);
        await store.AppendAsync(Entry("cart", now.AddMinutes(-1)), default);
        var shop = await store.QueryAsync("shop", now.AddHours(-1), 10, default);
        var all = await store.QueryAsync(null, now.AddDays(-365), 10, default);
        var pruned = await store.PruneAsync(now.AddDays(-90), default);
        var left = await store.QueryAsync(null, now.AddDays(-365), 10, default);

        Assert.Equal(["shop"], shop.Select(e => e.Service));
        Assert.Equal(["cart", "shop", "old"], all.Select(e => e.Service));
        Assert.Equal(now.AddMinutes(-5).ToUnixTimeMilliseconds(), shop[0].At.ToUnixTimeMilliseconds());
        Assert.Equal(1, pruned);
        Assert.Equal(["cart", "shop"], left.Select(e => e.Service));
    }

    [Fact]
    public async Task Store_OnSqlite_Prunes_WhatIsOlderThanTheRetention()
    {
        var data = Directory.CreateTempSubdirectory("aviary-audit-").FullName;
        var connectionString = SqliteStorage.ConnectionString(data);
        await SqliteSchema.ApplyAsync(connectionString);
        var store = new AuditStore(connectionString, postgres: false);
        var now = DateTimeOffset.UtcNow;
        foreach (var (service, age) in new[] { ("old", TimeSpan.FromDays(91)), ("new", TimeSpan.FromDays(1)) })
            await store.AppendAsync(new AuditEntry(0, now - age, "local", "DELETE", "/api/services/{service}", service, $"/api/services/{service}", null, "::1", 204, AuditEntry.Accepted, null), default);

        Assert.Equal(1, await store.PruneAsync(now - TimeSpan.FromDays(90), default));
        Assert.Equal(["new"], (await store.QueryAsync(null, now.AddYears(-1), 10, default)).Select(e => e.Service));
    }
}
