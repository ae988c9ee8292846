using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Tests.EndToEnd;
using Aviary.Tests.Models;

namespace Aviary.Tests.Webhooks;

/// <summary>A model monitor's automatic actions reach the hooks of the model's service: drift, the retraining it started, and that run's failure.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class ModelWebhookTests(WebhookSiloFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    private static readonly string Plan = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "train.yaml"));
    private static readonly string Retrain = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "retrain.yaml"));

    private async Task<string> GenerateAsync(object request) =>
        (await (await _api.PostAsJsonAsync("/api/data/generate", request)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;

    [Fact]
    public async Task MonitorActions_AreSentToTheModelServicesHooks()
    {
        const string model = "wh-model";
        await using var receiver = await HookReceiver.StartAsync();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-models", receiver.Url, model, ["model.drift", "model.retraining", "model.retrain-failed"]);

        var houses = await GenerateAsync(new { kind = "houses", rows = 2_000, seed = 71 });
        (await _api.PostAsync($"/api/workflows/{model}-t1?input={Uri.EscapeDataString(houses)}", ApiBodies.Yaml(Plan))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{model}-t1")).GetProperty("status").GetString() == "succeeded",
            "v1 trained", TimeSpan.FromSeconds(120));
        (await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-t1" })).EnsureSuccessStatusCode();
        (await _api.PostAsJsonAsync($"/api/deployments/{model}/versions/v1", new { to = new[] { "http://127.0.0.1:9/v/v1" } })).EnsureSuccessStatusCode();
        var card = JsonSerializer.Deserialize<ModelCard>(await _api.GetStringAsync($"/api/models/{model}/versions/v1/card"), ModelCard.JsonOptions)!;
        // Retraining on a sales table: validation refuses it, so the run fails.
        var sales = await GenerateAsync(new { rows = 300, seed = 72 });
        (await _api.PutAsJsonAsync($"/api/models/{model}/policy", new { servingUrl = "http://127.0.0.1:9", checkInterval = "01:00:00", minLiveSamples = 200, retrainPlan = Retrain, retrainInput = sales })).EnsureSuccessStatusCode();

        (await _api.PostAsJsonAsync($"/api/models/{model}/observations", LiveInputs.Observation(card, "v1", 1_000, 73, 1))).EnsureSuccessStatusCode();
        var run = (await (await _api.PostAsync($"/api/models/{model}/monitor/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retrainRun").GetString()!;
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "failed",
            "the retraining run failed", TimeSpan.FromSeconds(120));
        (await _api.PostAsync($"/api/models/{model}/monitor/check", null)).EnsureSuccessStatusCode();

        var drift = (await receiver.WaitForAsync(r => r.Event == "model.drift", "model.drift")).Json;
        var retraining = (await receiver.WaitForAsync(r => r.Event == "model.retraining", "model.retraining")).Json;
        var failed = (await receiver.WaitForAsync(r => r.Event == "model.retrain-failed", "model.retrain-failed")).Json;
        Assert.Equal((model, "v1"), (drift.GetProperty("service").GetString(), drift.GetProperty("version").GetString()));
        Assert.StartsWith($"model {model}: live inputs of v1 drifted: ", drift.GetProperty("message").GetString());
        Assert.Contains($"as run {run}", retraining.GetProperty("message").GetString());
        Assert.Contains("task validate failed (ValidationFailed:", failed.GetProperty("message").GetString());
    }
}
