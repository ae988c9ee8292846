using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// Secrets on a real silo: stored encrypted with Data Protection (key ring in the silo's
/// database), answered by no endpoint, absent from logs, /metrics, the audit log and the database
/// file in clear; still readable after the silo is killed and started again.
/// </summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync("--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000");

    public async Task DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
    }

    [Fact]
    public async Task APlantedSecret_IsStoredEncrypted_AndAppearsInNoAnswerLogMetricOrFile_ButChecksAndSurvivesARestart()
    {
        var silo = _silo!;
        var planted = $"planted-{Guid.NewGuid():N}";
        using var admin = silo.Api();

        var put = await admin.PutAsJsonAsync("/api/secrets/webhook-token", new { value = planted });
        var list = await admin.GetStringAsync("/api/secrets");
        var right = await admin.PostAsJsonAsync("/api/secrets/webhook-token/check", new { value = planted });
        var wrong = await admin.PostAsJsonAsync("/api/secrets/webhook-token/check", new { value = planted + "x" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var listed = Assert.Single(JsonDocument.Parse(list).RootElement.EnumerateArray());
        Assert.Equal("webhook-token", listed.GetProperty("name").GetString());
        Assert.True(await MatchesAsync(right));
        Assert.False(await MatchesAsync(wrong));

        // Every answer a viewer or an admin can get, /metrics, the audit log, the log, the database.
        var answers = new StringBuilder(list);
        // (The feeds never end; the dashboard's own pages hold grain statistics, not values.)
        foreach (var endpoint in ApiSurface.All.Where(e => e.Method == "GET" && (e.Route.StartsWith("/api/", StringComparison.Ordinal) || e.Route is "/metrics" or "/openapi/{documentName}.json")
            && !e.Route.StartsWith("/api/events", StringComparison.Ordinal)))
        {
            using var response = await admin.GetAsync(endpoint.Path("x"));
            answers.Append(await response.Content.ReadAsStringAsync());
        }
        var audit = await admin.GetStringAsync("/api/audit?limit=1000");
        var database = Directory.GetFiles(silo.DataDirectory, "aviary.db*").Select(f => Encoding.UTF8.GetString(ReadShared(f))).ToList();

        Assert.DoesNotContain(planted, answers.ToString());
        Assert.Contains("/api/secrets/webhook-token", audit);
        Assert.DoesNotContain(planted, audit);
        Assert.DoesNotContain(planted, silo.Process.Stdout + silo.Process.Stderr);
        Assert.All(database, text => Assert.DoesNotContain(planted, text));
        Assert.True(KeyRingRows(silo) >= 1, "the key ring is in the database");

        // Killed and started again on the same database: the key ring and the secret are both there.
        var data = silo.DataDirectory;
        await silo.StopKeepingDataAsync();
        _silo = await EmbeddedSilo.StartInAsync(data, "--Aviary:Api:RequestsPerSecond", "100000", "--Aviary:Api:Burst", "100000");
        using var again = _silo.Api();
        Assert.True(await MatchesAsync(await again.PostAsJsonAsync("/api/secrets/webhook-token/check", new { value = planted })));
    }

    [Fact]
    public async Task BadNamesAndValues_AreRefusedByField_OnlyAdminsMayTouchSecrets_AndRemovedMeansGone()
    {
        var silo = _silo!;
        using var admin = silo.Api();
        var created = await (await admin.PostAsJsonAsync("/api/keys", new { name = "op", role = "operator" })).Content.ReadFromJsonAsync<JsonElement>();
        using var @operator = silo.Api(created.GetProperty("token").GetString());

        var badName = await admin.PutAsJsonAsync("/api/secrets/.hidden", new { value = "x" });
        var empty = await admin.PutAsJsonAsync("/api/secrets/ok-name", new { value = "" });
        var tooLong = await admin.PutAsJsonAsync("/api/secrets/ok-name", new { value = new string('x', 16 * 1024 + 1) });
        var byOperator = await @operator.PutAsJsonAsync("/api/secrets/ok-name", new { value = "x" });
        var listByOperator = await @operator.GetAsync("/api/secrets");
        (await admin.PutAsJsonAsync("/api/secrets/to-remove", new { value = "gone soon" })).EnsureSuccessStatusCode();
        var removed = await admin.DeleteAsync("/api/secrets/to-remove");
        var checkRemoved = await admin.PostAsJsonAsync("/api/secrets/to-remove/check", new { value = "gone soon" });

        Assert.Equal((HttpStatusCode.BadRequest, "name"), (badName.StatusCode, await FieldAsync(badName)));
        Assert.Equal((HttpStatusCode.BadRequest, "value"), (empty.StatusCode, await FieldAsync(empty)));
        Assert.Equal((HttpStatusCode.BadRequest, "value"), (tooLong.StatusCode, await FieldAsync(tooLong)));
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listByOperator.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "name"), (checkRemoved.StatusCode, await FieldAsync(checkRemoved)));
        Assert.DoesNotContain("ok-name", await admin.GetStringAsync("/api/secrets")); // nothing refused was stored
    }

    /// <summary>Two silos of a cluster: what one encrypts with the key ring in PostgreSQL, the other decrypts.</summary>
    [SkippableFact]
    public async Task KeyRing_OnPostgreSql_IsSharedBySilos()
    {
        await using var database = await Aviary.Tests.Failover.ClusterTests.DatabaseAsync();
        await using (var connection = await Aviary.Silo.Storage.PostgresSchema.OpenAsync(database.ConnectionString, TimeSpan.FromSeconds(5)))
            await Aviary.Silo.Storage.PostgresSchema.ApplyAsync(connection);
        IDataProtector Silo() => new ServiceCollection()
            .AddDataProtection().SetApplicationName("aviary")
            .AddKeyManagementOptions(o => o.XmlRepository = new Aviary.Silo.Security.DatabaseXmlRepository(database.ConnectionString, postgres: true))
            .Services.BuildServiceProvider().GetDataProtectionProvider().CreateProtector(Aviary.Silo.Security.SecretVault.Purpose);

        var ciphertext = Silo().Protect("shared secret");
        var other = Silo().Unprotect(ciphertext);
        var elements = new Aviary.Silo.Security.DatabaseXmlRepository(database.ConnectionString, postgres: true).GetAllElements();

        Assert.Equal("shared secret", other);
        Assert.DoesNotContain("shared secret", ciphertext);
        Assert.Single(elements); // the second silo used the first one's key
    }

    private static async Task<bool> MatchesAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("matches").GetBoolean();
    }


    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static long KeyRingRows(EmbeddedSilo silo)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(silo.DataDirectory, "aviary.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AviaryDataProtectionKeys";
        return (long)command.ExecuteScalar()!;
    }
}
