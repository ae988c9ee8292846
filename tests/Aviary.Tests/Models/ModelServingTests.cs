using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Client.Traffic;
using Aviary.Tests.EndToEnd;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.Models;

/// <summary>
/// Registered versions served by a real model server process that fetches them from the real
/// silo's registry, behind the silo's gateway: a trained version, and an ensemble registered in
/// the registry (the mean of two), reported back to the silo as observations.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ModelServingTests(SiloProcessFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    private static readonly string Plan = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "train.yaml"));

    private const string Features = """{"features": {"sqft": 1500, "age": 20, "rooms": 4, "distance": 8, "region": "north"}}""";

    private async Task TrainAsync(string run, int seed, double shift)
    {
        var made = await _api.PostAsJsonAsync("/api/data/generate", new { kind = "houses", rows = 2_000, seed, shift });
        var path = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/workflows/{run}?input={Uri.EscapeDataString(path)}", Yaml(Plan))).StatusCode);
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "succeeded",
            $"run {run} succeeded", TimeSpan.FromSeconds(120));
    }

    private static async Task<JsonElement> PredictAsync(HttpClient http, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Features, System.Text.Encoding.UTF8, "application/json") };
        if (host is not null)
            request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task ModelServer_ServesRegisteredVersionsAndEnsembles_BehindTheGateway_AndReportsThem()
    {
        var model = $"srv-{Guid.NewGuid():N}"[..16];
        await TrainAsync($"{model}-a", 61, 0);
        await TrainAsync($"{model}-b", 62, 1);
        await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-a" });
        await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-b" });
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { members = new[] { "v1", "v2" }, combine = "mean" })).StatusCode);
        var key = await (await _api.PostAsJsonAsync("/api/keys", new { name = $"{model}-server", role = "operator" })).Content.ReadFromJsonAsync<JsonElement>();

        await using var server = await ModelServerProcess.StartAsync(model, silo.Http, key.GetProperty("token").GetString()!,
            Directory.CreateTempSubdirectory("aviary-model-cache-").FullName, CancellationToken.None);
        using var direct = new HttpClient { BaseAddress = new Uri(server.Url) };
        var v1 = (await PredictAsync(direct, "/v/v1/predict")).GetProperty("prediction").GetDouble();
        var v2 = (await PredictAsync(direct, "/v/v2/predict")).GetProperty("prediction").GetDouble();
        var ensemble = await PredictAsync(direct, "/v/v3/predict");
        Assert.Equal((v1 + v2) / 2, ensemble.GetProperty("prediction").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.NotFound, (await direct.PostAsync("/v/v9/predict", new StringContent(Features, System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // The ensemble is a version like any other: deployed to the model's service, reached through the gateway.
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsJsonAsync($"/api/deployments/{model}/versions/v3", new { to = new[] { $"{server.Url}/v/v3" } })).StatusCode);
        using var gateway = new HttpClient { BaseAddress = silo.Traffic };
        var routed = await Poll.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new StringContent(Features, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Host = model;
            using var response = await gateway.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }, body => body is not null, "the gateway routes to the ensemble");
        Assert.Equal("v3", JsonDocument.Parse(routed!).RootElement.GetProperty("version").GetString());

        // What it served comes back to the silo as observations: requests, inputs in the reference bins, predictions.
        var live = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/telemetry"),
            t => t.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("version").GetString() == "v1"), "the server's observations arrived");
        var first = live.GetProperty("versions").EnumerateArray().First(v => v.GetProperty("version").GetString() == "v1");
        Assert.True(first.GetProperty("requests").GetInt64() >= 1);
        Assert.Contains(first.GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "sqft" && f.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()) >= 1);
        Assert.True(live.GetProperty("pending").GetInt32() >= 1);
    }
}
