using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// The gateway as its own process beside a silo: it routes from its own route table, so when the
/// cluster goes away it keeps routing on the last table and says so in its readiness and its log.
/// </summary>
public sealed class StandaloneGatewayTests
{
    [Fact]
    public async Task ClusterGone_GatewayKeepsRoutingOnItsLastTable_AndReportsItselfDegraded()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        await using var v1 = await Upstream.StartAsync("v1");
        using var api = silo.Api();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/services/shop", new { hosts = new[] { "shop" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/deployments/shop/versions/v1", new { to = new[] { v1.Url } })).StatusCode);

        await using var gateway = await GatewayProcess.StartAsync(silo.Gateway, "--reconcile-interval", "00:00:01");
        using var traffic = new HttpClient { BaseAddress = gateway.Traffic };
        async Task<HttpResponseMessage> Shop()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cart");
            request.Headers.Host = "shop";
            return await traffic.SendAsync(request);
        }
        async Task<string?> Readiness() =>
            (await traffic.GetFromJsonAsync<JsonElement>("/_aviary/healthz/ready")).GetProperty("status").GetString();
        await Poll.UntilAsync(async () => (await Shop()).StatusCode == HttpStatusCode.OK, "the standalone gateway routes shop");
        Assert.Equal("Healthy", await Readiness());
        var unauthenticated = await traffic.GetAsync("/_aviary/metrics");
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/_aviary/metrics") { Headers = { { "X-Api-Key", silo.AdminKey } } };
        var exported = await (await traffic.SendAsync(scrape)).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode); // the keys of the cluster it serves
        Assert.Contains("aviary_gateway_requests{service=\"shop\",version=\"v1\",outcome=\"ok\"}", exported);
        Assert.DoesNotContain("microsoft_aspnetcore_hosting_", exported); // not the framework's per-request meters (GatewayTelemetry)
        Assert.DoesNotContain("system_net_http_", exported);
        using (var untraced = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.Traffic })
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/_upstream/headers") { Headers = { Host = "shop" } })
        using (var seen = await untraced.SendAsync(request))
        {
            // With nobody tracing, no activity a request (its logger is off in Serilog's rules too).
            Assert.False((await seen.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("traceparent", out _));
        }

        silo.Process.Signal(kill: true);

        await Poll.UntilAsync(async () => await Readiness() == "Degraded", "readiness degraded", TimeSpan.FromSeconds(20));
        await gateway.Process.WaitForLineAsync("Cluster unreachable: routing goes on with the last route table", TimeSpan.FromSeconds(20));
        for (var i = 0; i < 20; i++)
        {
            using var response = await Shop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("v1", response.Headers.GetValues("x-aviary-version").Single());
        }
        // The key passed a moment ago: while the cluster cannot be asked, it still does.
        using var whileDown = new HttpRequestMessage(HttpMethod.Get, "/_aviary/metrics") { Headers = { { "X-Api-Key", silo.AdminKey } } };
        var metrics = await (await traffic.SendAsync(whileDown)).Content.ReadAsStringAsync();
        Assert.Matches(@"aviary_gateway_outcomes_pending [1-9]", metrics); // held for the cluster, within their bound
    }
}
