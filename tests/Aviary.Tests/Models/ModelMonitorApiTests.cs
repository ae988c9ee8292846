using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Models;
using Aviary.Tests.EndToEnd;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.Models;

/// <summary>
/// A model's monitor over the real silo: live inputs that drifted from v1's training data start
/// the retraining run; the run's version is registered, beats v1 on its held-out rows, and goes
/// out with a shadow stage first; a shadow that disagrees with the serving version is aborted.
/// Every automatic action is in the model's log and the audit log. Checks are asked for through
/// the API (the timer's interval is an hour here), so each step is one deterministic check.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ModelMonitorApiTests(SiloProcessFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    /// <summary>The example's plans: train v1; retrain on drift (validate against the serving version's held-out rows, then train with it as baseline).</summary>
    private static readonly string Plan = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "train.yaml"));
    private static readonly string Retrain = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ml-lifecycle", "retrain.yaml"));

    private async Task<string> DatasetAsync(int rows, int seed, double shift)
    {
        var made = await _api.PostAsJsonAsync("/api/data/generate", new { kind = "houses", rows, seed, shift });
        made.EnsureSuccessStatusCode();
        return (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
    }

    /// <summary>v1 of <paramref name="model"/>, trained on houses as they were (a real run), registered and serving its service; its card.</summary>
    private async Task<ModelCard> ServeFirstVersionAsync(string model, int seed)
    {
        var started = await _api.PostAsync($"/api/workflows/{model}-t1?input={Uri.EscapeDataString(await DatasetAsync(2_000, seed, 0))}", Yaml(Plan));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var run = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{model}-t1"),
            r => r.GetProperty("status").GetString() != "running", "the first training ended", TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-t1" }));
        await OkAsync(await _api.PostAsJsonAsync($"/api/deployments/{model}/versions/v1", new { to = new[] { "http://127.0.0.1:9/v/v1" } }));
        return JsonSerializer.Deserialize<ModelCard>(await _api.GetStringAsync($"/api/models/{model}/versions/v1/card"), ModelCard.JsonOptions)!;
    }

    private async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<JsonElement> CheckAsync(string model) => OkAsync(_api.PostAsync($"/api/models/{model}/monitor/check", null).Result);

    private static object Observation(ModelCard card, string version, int rows, int seed, double shift) => LiveInputs.Observation(card, version, rows, seed, shift);

    [Fact]
    public async Task Drift_RetrainsRegistersAndRollsOutWithAShadowFirst_AndADisagreeingShadowIsAborted()
    {
        var model = $"mon-{Guid.NewGuid():N}"[..16];
        var after = await DatasetAsync(2_000, 12, 1);

        // v1, trained on the world as it was, serves the model's service.
        var card = await ServeFirstVersionAsync(model, 11);

        // A bad policy is refused naming the field; a good one is taken.
        var bad = await _api.PutAsJsonAsync($"/api/models/{model}/policy", new { retrainPlan = Retrain, retrainInput = after, trainTask = "fit" });
        Assert.Equal((HttpStatusCode.BadRequest, "trainTask"), (bad.StatusCode, await FieldAsync(bad)));
        bad = await _api.PutAsJsonAsync($"/api/models/{model}/policy", new { servingUrl = "ftp://x" });
        Assert.Equal((HttpStatusCode.BadRequest, "servingUrl"), (bad.StatusCode, await FieldAsync(bad)));
        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/policy", new
        {
            servingUrl = "http://127.0.0.1:9",
            checkInterval = "01:00:00",
            window = "00:10:00",
            minLiveSamples = 200,
            retrainPlan = Retrain,
            retrainInput = after,
            margin = 0.05,
            minLabels = 50,
            canary = new { stages = new[] { 10, 100 }, bakeTime = "01:00:00", checkInterval = "00:00:30" },
        }));

        // Live inputs like the training data: no drift.
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Observation(card, "v1", 500, 21, 0)));
        var calm = await CheckAsync(model);
        Assert.Equal("watching", calm.GetProperty("phase").GetString());
        Assert.False(calm.GetProperty("drifted").GetBoolean(), calm.ToString());

        // The world shifts: drift starts the retraining run.
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Observation(card, "v1", 2_000, 22, 1)));
        var drifted = await CheckAsync(model);
        Assert.True(drifted.GetProperty("drifted").GetBoolean(), drifted.ToString());
        Assert.Equal("retraining", drifted.GetProperty("phase").GetString());
        var run = drifted.GetProperty("retrainRun").GetString()!;
        Assert.Contains(drifted.GetProperty("drift").EnumerateArray(), f => f.GetProperty("feature").GetString() == "sqft" && f.GetProperty("drifted").GetBoolean());

        var retrained = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}"),
            r => r.GetProperty("status").GetString() != "running", "the retraining run ended", TimeSpan.FromSeconds(120));
        Assert.True(retrained.GetProperty("status").GetString() == "succeeded", retrained.ToString());

        // Its version is registered, beats v1 on its held-out rows, and goes out shadow first.
        var rolling = await CheckAsync(model);
        Assert.Equal(("shadow", "v2"), (rolling.GetProperty("phase").GetString(), rolling.GetProperty("candidate").GetString()));
        var deployment = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{model}")).GetProperty("deployment");
        Assert.Equal("v2", deployment.GetProperty("canaryVersion").GetString());
        Assert.Equal(0, deployment.GetProperty("canaryWeight").GetInt32());
        var v2 = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/versions/v2");
        Assert.Equal(run, v2.GetProperty("run").GetString());
        Assert.Contains("drift in", v2.GetProperty("reason").GetString());
        var retrainRun = await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}");
        Assert.Equal("succeeded", retrainRun.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "validate").GetProperty("status").GetString());

        // The shadow disagrees with v1 on most requests: aborted, and told.
        var predictions = Enumerable.Range(0, 60).Select(i => (id: $"{model}-r{i}", serving: 100.0 + i, shadow: i < 40 ? 300.0 + i : 100.0 + i)).ToArray();
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", new { version = "v1", requests = 60, features = Array.Empty<object>(), predictions = predictions.Select(p => new { requestId = p.id, value = p.serving, latencyMs = 2.0 }) }));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", new { version = "v2", requests = 60, features = Array.Empty<object>(), predictions = predictions.Select(p => new { requestId = p.id, value = p.shadow, latencyMs = 3.0, shadow = true }) }));
        var aborting = await CheckAsync(model);
        Assert.Contains("agreed with v1 on 33.3 % of 60 shadowed requests", aborting.GetProperty("note").GetString());
        var ended = await CheckAsync(model);
        Assert.Equal("watching", ended.GetProperty("phase").GetString());
        deployment = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{model}")).GetProperty("deployment");
        Assert.Equal("v1", deployment.GetProperty("stableVersion").GetString());
        Assert.Equal(JsonValueKind.Null, deployment.GetProperty("canaryVersion").ValueKind);

        // Each automatic action is in the model's log and in the audit log.
        var events = (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["driftDetected", "retrainStarted", "registered", "rolloutStarted", "rolledBack"], events.SkipWhile(k => k != "driftDetected").ToList());
        var audit = await _api.GetFromJsonAsync<JsonElement>($"/api/audit?service={model}");
        var automatic = audit.EnumerateArray().Where(e => e.GetProperty("method").GetString() == "AUTO").Select(e => e.GetProperty("route").GetString()).ToList();
        Assert.Contains($"/api/models/{model}/drift-detected", automatic);
        Assert.Contains($"/api/models/{model}/rolled-back", automatic);
    }

    [Fact]
    public async Task Retraining_OnDataThatFailsValidation_StopsBeforeTraining_AndSaysWhy()
    {
        var model = $"val-{Guid.NewGuid():N}"[..16];
        var card = await ServeFirstVersionAsync(model, 31);

        // The "new data" is a sales table: not the houses the model knows.
        var made = await _api.PostAsJsonAsync("/api/data/generate", new { rows = 500, seed = 5 });
        var sales = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/policy", new
        {
            servingUrl = "http://127.0.0.1:9",
            checkInterval = "01:00:00",
            minLiveSamples = 200,
            retrainPlan = Retrain,
            retrainInput = sales,
        }));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Observation(card, "v1", 1_000, 32, 1)));
        var run = (await CheckAsync(model)).GetProperty("retrainRun").GetString()!;
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "failed",
            "the retraining run failed", TimeSpan.FromSeconds(120));

        var after = await CheckAsync(model);
        Assert.Equal("watching", after.GetProperty("phase").GetString());
        var failed = (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("events").EnumerateArray().Last();
        Assert.Equal("retrainFailed", failed.GetProperty("kind").GetString());
        Assert.Contains("task validate failed (ValidationFailed:", failed.GetProperty("message").GetString());
        Assert.Contains("sqft", failed.GetProperty("message").GetString());
        var tasks = (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!, t => t.GetProperty("status").GetString());
        Assert.NotEqual("succeeded", tasks["train"]);
        Assert.Single((await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("versions").EnumerateArray());
    }

    [Fact]
    public async Task Challenger_RetrainedVersionSplitsTheUsers_AndTakesAllWhenItsLiveQualityWins()
    {
        var model = $"cc-{Guid.NewGuid():N}"[..16];
        var after = await DatasetAsync(2_000, 42, 1);
        var card = await ServeFirstVersionAsync(model, 41);
        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/policy", new
        {
            servingUrl = "http://127.0.0.1:9",
            checkInterval = "01:00:00",
            minLiveSamples = 200,
            retrainPlan = Retrain,
            retrainInput = after,
            rollout = "challenger",
            challengerWeight = 30,
            minLabels = 20,
            margin = 0.05,
        }));

        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Observation(card, "v1", 1_000, 43, 1)));
        var run = (await CheckAsync(model)).GetProperty("retrainRun").GetString()!;
        var retrained = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}"),
            r => r.GetProperty("status").GetString() != "running", "the retraining run ended", TimeSpan.FromSeconds(120));
        Assert.True(retrained.GetProperty("status").GetString() == "succeeded", retrained.ToString());

        var challenging = await CheckAsync(model);
        Assert.Equal(("challenger", "v2"), (challenging.GetProperty("phase").GetString(), challenging.GetProperty("candidate").GetString()));
        var split = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{model}")).GetProperty("deployment").GetProperty("split").EnumerateArray()
            .ToDictionary(s => s.GetProperty("version").GetString()!, s => s.GetProperty("weight").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 70, ["v2"] = 30 }, split);

        // Labels come back: v2 is close to the truth, v1 far from it.
        var truth = Enumerable.Range(0, 40).Select(i => 200.0 + 10 * i).ToArray();
        object Batch(string version, Func<int, double> predict) => new
        {
            version,
            requests = 40,
            features = Array.Empty<object>(),
            predictions = truth.Select((_, i) => new { requestId = $"{model}-{version}-{i}", value = predict(i), latencyMs = 2.0 }),
        };
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Batch("v1", i => truth[i] + (i % 2 == 0 ? 150 : -150))));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", Batch("v2", i => truth[i] + (i % 2 == 0 ? 5 : -5))));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new
        {
            labels = new[] { "v1", "v2" }.SelectMany(v => truth.Select((t, i) => new { requestId = $"{model}-{v}-{i}", value = t })),
        }));

        var won = await CheckAsync(model);
        Assert.Equal("watching", won.GetProperty("phase").GetString());
        Assert.Equal("v2", won.GetProperty("lastGood").GetString());
        var deployment = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{model}")).GetProperty("deployment");
        Assert.True(deployment.GetProperty("stableVersion").GetString() == "v2", $"{won} {deployment}");
        Assert.Equal(0, deployment.GetProperty("split").GetArrayLength());
        Assert.Equal("v2", (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("aliases").GetProperty("champion").GetString());
    }

    [Fact]
    public async Task ServingVersionBelowTheQualityFloor_RollsBackToTheLastGoodVersion()
    {
        var model = $"rb-{Guid.NewGuid():N}"[..16];
        var started = await _api.PostAsync($"/api/workflows/{model}-t1?input={Uri.EscapeDataString(await DatasetAsync(2_000, 51, 0))}", Yaml(Plan));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{model}-t1")).GetProperty("status").GetString() == "succeeded",
            "the training succeeded", TimeSpan.FromSeconds(120));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-t1" }));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-t1", reason = "the same model again, to be served badly" }));
        await OkAsync(await _api.PostAsJsonAsync($"/api/deployments/{model}/versions/v1", new { to = new[] { "http://127.0.0.1:9/v/v1" } }));
        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/policy", new { servingUrl = "http://127.0.0.1:9", checkInterval = "01:00:00", qualityFloor = 0.5, minLabels = 10 }));

        var truth = Enumerable.Range(0, 20).Select(i => 100.0 + 20 * i).ToArray();
        async Task ServeAsync(string version, Func<int, double> predict)
        {
            await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", new
            {
                version,
                requests = truth.Length,
                features = Array.Empty<object>(),
                predictions = truth.Select((_, i) => new { requestId = $"{model}-{version}-{i}", value = predict(i), latencyMs = 1.0 }),
            }));
            await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new { labels = truth.Select((t, i) => new { requestId = $"{model}-{version}-{i}", value = t }) }));
        }

        // v1 serves well: it is the last good version.
        await ServeAsync("v1", i => truth[i] + 3);
        Assert.Equal("v1", (await CheckAsync(model)).GetProperty("lastGood").GetString());

        // v2 takes over at once and serves badly: back to v1.
        await OkAsync(await _api.PostAsJsonAsync($"/api/deployments/{model}/versions/v2", new { to = new[] { "http://127.0.0.1:9/v/v2" }, stages = new[] { 100 } }));
        await ServeAsync("v2", i => truth[^(i + 1)]);
        var rolledBack = await CheckAsync(model);
        Assert.Contains("below the floor 0.5: back to v1", rolledBack.GetProperty("note").GetString());
        var deployment = (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{model}")).GetProperty("deployment");
        Assert.Equal("v1", deployment.GetProperty("stableVersion").GetString());
        var view = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        Assert.Equal("v1", view.GetProperty("aliases").GetProperty("champion").GetString());
        Assert.Contains(view.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "rolledBack" && e.GetProperty("version").GetString() == "v2");
    }
}
