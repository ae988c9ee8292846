using Aviary.Silo.Storage;
using Aviary.Harness;
using Npgsql;

namespace Aviary.Tests.Failover;

/// <summary>The project's PostgreSQL scripts on a real server: applied once however many silos start, verified, migrated by command.</summary>
[Collection(FailoverCollection.Name)]
public sealed class PostgresSchemaTests
{
    [SkippableFact]
    public async Task ThreeSilosApplyingAtOnce_RunEachScriptExactlyOnce_AndAgainChangesNothing()
    {
        await using var database = await ClusterTests.DatabaseAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var connection = await PostgresSchema.OpenAsync(database.ConnectionString, TimeSpan.FromSeconds(5));
            return await PostgresSchema.ApplyAsync(connection);
        }));
        await using var again = await PostgresSchema.OpenAsync(database.ConnectionString, TimeSpan.FromSeconds(5));
        var second = await PostgresSchema.ApplyAsync(again);

        Assert.All(versions, v => Assert.Equal(PostgresSchema.LatestVersion, v));
        Assert.Equal(PostgresSchema.LatestVersion, second);
        await using var rows = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT Version) FROM AviarySchemaVersion", again);
        await using var reader = await rows.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((long)PostgresSchema.LatestVersion, reader.GetInt64(0));
        Assert.Equal((long)PostgresSchema.LatestVersion, reader.GetInt64(1));
    }

    [SkippableFact]
    public async Task VerifyMode_OnAnEmptyDatabase_StopsWithOneLine_UntilApplySchemaRuns()
    {
        await using var database = await ClusterTests.DatabaseAsync();
        string[] cluster = ["--profile", "cluster", "--connection-string", database.ConnectionString];

        var refused = await ProcessRun.RunAsync(RepoPaths.SiloDll, TimeSpan.FromSeconds(60), [.. cluster, "--schema", "verify"]);
        var applied = await ProcessRun.RunAsync(RepoPaths.SiloDll, TimeSpan.FromSeconds(60), ["apply-schema", .. cluster]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^aviary-silo: Aviary:Schema: database 127\.0\.0\.1:5432/\w+ as \w+ is at schema version 0, this silo needs \d+; run `aviary-silo apply-schema` with the same settings, or set Aviary:Schema=apply$", refused.Stderr.TrimEnd());
        Assert.Equal(0, applied.ExitCode);
        Assert.Equal($"aviary-silo: schema is at version {PostgresSchema.LatestVersion}", applied.Stdout.TrimEnd());
    }

    [SkippableFact]
    public async Task Console_SpeaksToAClusterSilo_OverItsApi_WithTheFirstAdminKey()
    {
        await using var cluster = await ClusterTests.StartAsync(1);
        string[] target = ["--server", cluster.Members[0].Server, "--token", cluster.AdminKey];

        var deploy = await ProcessRun.RunAsync(RepoPaths.ClientDll, TimeSpan.FromSeconds(60), ["deploy", "via-table", "v1", .. target, "--output", "json"]);
        var status = await ProcessRun.RunAsync(RepoPaths.ClientDll, TimeSpan.FromSeconds(60), ["status", "via-table", .. target]);

        using var http = new HttpClient();
        var ready = await http.GetStringAsync($"http://127.0.0.1:{cluster.Members[0].HttpPort}{Aviary.Silo.Health.HealthEndpoints.ReadyPath}");
        Assert.Equal("Healthy", ready); // an active member whose database answers
        Assert.True(deploy.ExitCode == 0, deploy.Stderr);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("v1", status.Stdout);
    }

    [Fact]
    public async Task ReadinessCheck_UnreachableDatabase_IsUnhealthy()
    {
        var check = new Aviary.Silo.Health.PostgresHealthCheck("Host=127.0.0.1;Port=1;Username=aviary;Password=x;Database=aviary;Timeout=2");

        var result = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, result.Status);
        Assert.Equal("database does not answer", result.Description);
    }
}
