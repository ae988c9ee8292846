using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

[Collection(SiloProcessCollection.Name)]
public sealed class HttpApiTests(SiloProcessFixture silo)
{
    private readonly HttpClient _http = silo.Api();

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        Assert.Equal("Healthy", await _http.GetStringAsync("/healthz/live"));
        Assert.Equal("Healthy", await _http.GetStringAsync("/healthz/ready"));
    }

    [Fact]
    public async Task Metrics_ExportAviaryAndOrleansSeriesForPrometheus()
    {
        await _http.PostAsync("/api/deployments/http-metrics/versions/v1", null);
        var deploy = await _http.PostAsync("/api/deployments/http-metrics/versions/v2", null);
        Assert.Equal(HttpStatusCode.OK, deploy.StatusCode);

        var response = await _http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("aviary_rollout_weight{role=\"canary\",service=\"http-metrics\",version=\"v2\"} 10", text);
        Assert.Contains("aviary_rollout_weight{role=\"stable\",service=\"http-metrics\",version=\"v1\"} 90", text);
        Assert.Matches(@"aviary_rollout_transitions\{kind=""Started""\} [1-9]", text);
        Assert.Matches(@"aviary_rollouts_active\{status=""Progressing""\} [1-9]", text);
        Assert.Contains("microsoft_orleans_orleans_catalog_activations", text);
    }

    [Fact]
    public async Task Dashboard_ServesItsPage()
    {
        var response = await _http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RolloutLogLines_AreJsonWithTheRolloutIdAsAProperty()
    {
        await _http.PostAsync("/api/deployments/http-logs/versions/v1", null);
        var deploy = await _http.PostAsync("/api/deployments/http-logs/versions/v2", null);
        Assert.Equal(HttpStatusCode.OK, deploy.StatusCode);

        await silo.Silo.WaitForLineAsync("\"RolloutId\":\"http-logs/1\"", TimeSpan.FromSeconds(30));

        var line = silo.Silo.Stdout.Split('\n').First(l => l.Contains("\"RolloutId\":\"http-logs/1\""));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("http-logs", json.RootElement.GetProperty("Service").GetString());
        Assert.True(json.RootElement.TryGetProperty("@t", out _));
    }

    [Fact]
    public async Task Samples_PostedForCanary_ReachItsWindow_AndShowInDeployment()
    {
        const string service = "http-api";
        var deploy = await _http.PostAsync($"/api/deployments/{service}/versions/v1", null);
        Assert.Equal(HttpStatusCode.OK, deploy.StatusCode);

        var samples = Enumerable.Range(0, 50).Select(i => new { ok = i % 10 != 0, latencyMs = 10.0 + i }).ToArray();
        var post = await _http.PostAsJsonAsync($"/api/deployments/{service}/versions/v1/samples", samples);

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        using var accepted = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        Assert.Equal(50, accepted.RootElement.GetProperty("accepted").GetInt32());

        var list = await _http.GetStringAsync("/api/deployments");
        Assert.Contains("\"service\":\"http-api\"", list);
        using var one = JsonDocument.Parse(await _http.GetStringAsync($"/api/deployments/{service}"));
        Assert.Equal("v1", one.RootElement.GetProperty("deployment").GetProperty("stableVersion").GetString());
    }

    [Fact]
    public async Task BadSamples_Are400ProblemDetailsNamingField()
    {
        await _http.PostAsync("/api/deployments/http-bad/versions/v1", null);

        var response = await _http.PostAsJsonAsync("/api/deployments/http-bad/versions/v1/samples",
            new object[] { new { ok = true, latencyMs = 5 }, new { ok = true, latencyMs = -3 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("samples[1].latencyMs", problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task UnknownService_Is404ProblemDetails()
    {
        var response = await _http.GetAsync("/api/deployments/http-nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("service: no deployment named 'http-nobody'", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deploy_BadStages_Is400AndChangesNothing()
    {
        await _http.PostAsync("/api/deployments/http-policy/versions/v1", null);

        var response = await _http.PostAsJsonAsync("/api/deployments/http-policy/versions/v2", new { stages = new[] { 10, 120 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("stages", problem.RootElement.GetProperty("field").GetString());
        using var after = JsonDocument.Parse(await _http.GetStringAsync("/api/deployments/http-policy"));
        Assert.Equal(JsonValueKind.Null, after.RootElement.GetProperty("deployment").GetProperty("activeRolloutId").ValueKind);
    }
}
