using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Harness.Orleans;

namespace Aviary.Tests.Failover;

/// <summary>
/// The cluster profile with Aviary:Tls: two silos that join and call each other over TLS with
/// certificates of the cluster's CA, a client with such a certificate served, and clients without
/// one, or with one from another CA, refused.
/// </summary>
public sealed class TlsClusterTests
{
    private static readonly ClusterIdentity Identity = new("unused", ClusterIdentity.DefaultServiceId);

    [SkippableFact]
    public async Task Silos_JoinAndCallEachOtherOverTls_AndOnlyClientsWithTheClustersCertificateGetIn()
    {
        var authority = TestCertificates.NewAuthority("aviary-test-ca");
        var rogue = TestCertificates.NewAuthority("rogue-ca");
        await using var cluster = await ClusterTests.StartAsync(2, authority.Issue("silo"));
        var identity = Identity with { ClusterId = cluster.ClusterId };
        var membership = ClusterConnection.Target.FromMembership(cluster.Database.ConnectionString);

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        using var first = new HttpClient { BaseAddress = new Uri(cluster.Members[0].Server) };
        using var second = new HttpClient { BaseAddress = new Uri(cluster.Members[1].Server) };
        foreach (var http in new[] { first, second })
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", cluster.AdminKey);
        var services = Enumerable.Range(0, 6).Select(i => $"tls-{i}-{Guid.NewGuid():N}"[..12]).ToArray();
        foreach (var service in services)
            (await first.PostAsync($"/api/deployments/{service}/versions/v1", null)).EnsureSuccessStatusCode();
        var seen = await second.GetFromJsonAsync<JsonElement>("/api/deployments");
        await using var withCertificate = await ClusterConnection.ConnectAsync(membership, identity, CancellationToken.None, authority.Issue("gateway"));
        var plain = await Record.ExceptionAsync(() => ClusterConnection.ConnectAsync(membership, identity, CancellationToken.None));
        var foreign = await Record.ExceptionAsync(() => ClusterConnection.ConnectAsync(membership, identity, CancellationToken.None, rogue.Issue("intruder")));

        Assert.Equal(2, hosts.Count); // membership probes are silo-to-silo connections: both joined over TLS
        Assert.All(services, s => Assert.Contains(seen.EnumerateArray(), d => d.GetProperty("service").GetString() == s));
        Assert.NotEmpty(await withCertificate.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true));
        Assert.NotNull(plain);
        Assert.NotNull(foreign);
        // The connection string (with its password) is in no log line and no metric.
        var metrics = await first.GetStringAsync("/metrics");
        var password = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database.ConnectionString).Password!;
        foreach (var member in cluster.Members)
        {
            Assert.DoesNotContain(cluster.Database.ConnectionString, member.Process.Stdout + member.Process.Stderr);
            Assert.DoesNotContain($"Password={password}", member.Process.Stdout + member.Process.Stderr, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain(cluster.Database.ConnectionString, metrics);
        Assert.DoesNotContain($"Password={password}", metrics, StringComparison.OrdinalIgnoreCase);
    }
}
