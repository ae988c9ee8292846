using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Tests.EndToEnd;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.Models;

/// <summary>
/// The model registry, live figures and monitor over the real silo's HTTP API: versions trained
/// by real workflow runs (ML.NET), registered from their cards, aliased, compared on held-out rows;
/// observations and labels joined; drift starting a real retraining run whose version is rolled out.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ModelsApiTests(SiloProcessFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    private const string TrainPlan = """
        name: train
        tasks:
          - id: load
            agent: data-loader
            input: { path: "${input}" }
          - id: train
            agent: trainer
            dependsOn: [load]
            input: { data: "${tasks.load.result}", target: price, features: "sqft,age,rooms,distance,region", seed: "7" }
        """;

    /// <summary>A houses dataset written by the silo (rows, seed, shift), and its path for a run's input.</summary>
    private async Task<string> DatasetAsync(int rows, int seed, double shift)
    {
        var made = await _api.PostAsJsonAsync("/api/data/generate", new { kind = "houses", rows, seed, shift });
        made.EnsureSuccessStatusCode();
        return (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
    }

    /// <summary>Runs <paramref name="plan"/> on <paramref name="input"/> to its end; the run must succeed.</summary>
    private async Task<string> TrainAsync(string run, string input, string plan = TrainPlan)
    {
        var started = await _api.PostAsync($"/api/workflows/{run}?input={Uri.EscapeDataString(input)}", Yaml(plan));
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var final = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}"),
            r => r.GetProperty("status").GetString() is "succeeded" or "failed", $"run {run} ended", TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", final.GetProperty("status").GetString());
        return final.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "train").GetProperty("resultRef").GetString()!;
    }

    private async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(field, await FieldAsync(response));
    }

    [Fact]
    public async Task Registry_RegistersTrainedVersions_AliasesAndComparesThemOnHeldOutRows()
    {
        var model = $"houses-{Guid.NewGuid():N}"[..20];
        var before = await DatasetAsync(3_000, 1, 0);
        var after = await DatasetAsync(3_000, 2, 1);
        var card1 = await TrainAsync($"{model}-t1", before);
        await TrainAsync($"{model}-t2", after);

        var v1 = await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { card = card1, reason = "first" }));
        var v2 = await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { run = $"{model}-t2", task = "train" }));
        Assert.Equal(("v1", "v2"), (v1.GetProperty("version").GetString(), v2.GetProperty("version").GetString()));
        Assert.Equal("fasttree", v1.GetProperty("algorithm").GetString());
        Assert.True(v1.GetProperty("metrics").GetProperty("r2").GetDouble() > 0.5);
        Assert.Equal(3_000, v1.GetProperty("fingerprint").GetProperty("rows").GetInt64());
        Assert.Equal(64, v1.GetProperty("fingerprint").GetProperty("sha256").GetString()!.Length);
        Assert.Equal($"{model}-t2", v2.GetProperty("run").GetString());

        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/aliases/champion", new { version = "v1" }));
        await OkAsync(await _api.PutAsJsonAsync($"/api/models/{model}/aliases/challenger", new { version = "v2" }));
        var shown = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        Assert.Equal("v1", shown.GetProperty("aliases").GetProperty("champion").GetString());
        Assert.Equal("v2", (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/versions/challenger")).GetProperty("version").GetString());
        Assert.Contains((await _api.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray(), m => m.GetProperty("model").GetString() == model);

        // On v2's held-out rows (the shifted world) v2 beats v1; the other way round it does not.
        var better = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/compare?champion=champion&challenger=challenger&margin=0.05");
        Assert.True(better.GetProperty("challengerBetter").GetBoolean(), better.ToString());
        Assert.Equal("rmse", better.GetProperty("metric").GetString());
        Assert.Equal(600, better.GetProperty("rows").GetInt64());
        var worse = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/compare?champion=v2&challenger=v1&holdout={Uri.EscapeDataString(v2.GetProperty("holdout").GetString()!)}");
        Assert.False(worse.GetProperty("challengerBetter").GetBoolean());

        // Ensembles of registered versions are versions too.
        var ensemble = await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { members = new[] { "v1", "v2" }, combine = "mean" }));
        Assert.Equal("v3", ensemble.GetProperty("version").GetString());

        // Bad input names the field and changes nothing.
        await AssertProblemAsync(await _api.PutAsJsonAsync($"/api/models/{model}/aliases/v7", new { version = "v1" }), HttpStatusCode.BadRequest, "alias");
        await AssertProblemAsync(await _api.PutAsJsonAsync($"/api/models/{model}/aliases/best", new { version = "v9" }), HttpStatusCode.NotFound, "version");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { card = "nope/train.1.card.json" }), HttpStatusCode.NotFound, "card");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { card = "../../etc/passwd" }), HttpStatusCode.BadRequest, "card");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { members = new[] { "v1", "v2" }, combine = "median" }), HttpStatusCode.BadRequest, "combine");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { members = new[] { "v1", "v3" }, combine = "mean" }), HttpStatusCode.BadRequest, "members[1]");
        await AssertProblemAsync(await _api.GetAsync($"/api/models/{model}/compare?champion=v1&challenger=v2&margin=2"), HttpStatusCode.BadRequest, "margin");
        await AssertProblemAsync(await _api.DeleteAsync($"/api/models/{model}/versions/v1"), HttpStatusCode.Conflict, "version");
        await AssertProblemAsync(await _api.GetAsync($"/api/models/{model}/versions/v9"), HttpStatusCode.NotFound, "version");
        await AssertProblemAsync(await _api.GetAsync("/api/models/no-such-model"), HttpStatusCode.NotFound, "model");
        Assert.Equal(3, (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("versions").GetArrayLength());

        // The files behind a version, for model servers.
        var card = await _api.GetAsync($"/api/models/{model}/versions/champion/card");
        Assert.Equal("application/json", card.Content.Headers.ContentType?.MediaType);
        var artifact = await _api.GetByteArrayAsync($"/api/models/{model}/versions/v1/artifact");
        Assert.Equal((byte)'P', artifact[0]); // a zip

        // The console reads the same registry.
        var (exit, stdout, _) = await silo.AviaryAsync(TimeSpan.FromSeconds(60), "model", "compare", model, "v2", "v1", "--holdout", v2.GetProperty("holdout").GetString()!);
        Assert.Equal(5, exit);
        Assert.Contains("not better", stdout);
        (exit, stdout, _) = await silo.AviaryAsync(TimeSpan.FromSeconds(60), "model", "show", model);
        Assert.Equal(0, exit);
        Assert.Contains("champion", stdout);
    }

    [Fact]
    public async Task Feedback_JoinsLabelsWithObservedPredictions_AndUnknownIdsChangeNothing()
    {
        var model = $"fb-{Guid.NewGuid():N}"[..16];
        var card = await TrainAsync($"{model}-t1", await DatasetAsync(2_000, 3, 0));
        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/versions", new { card }));

        var batch = new
        {
            version = "v1",
            requests = 3,
            features = Array.Empty<object>(),
            predictions = new[] { new { requestId = "r1", value = 100.0, latencyMs = 2.0 }, new { requestId = "r2", value = 200.0, latencyMs = 2.0 }, new { requestId = "r3", value = 300.0, latencyMs = 2.0 } },
        };
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsJsonAsync($"/api/models/{model}/observations", batch)).StatusCode);
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/observations", batch with { version = "v9" }), HttpStatusCode.NotFound, "version");

        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new { requestId = "unknown", value = 1 }), HttpStatusCode.NotFound, "requestId");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new { labels = new object[] { new { requestId = "r1", value = 110 }, new { requestId = "zz", value = 1 } } }), HttpStatusCode.NotFound, "labels[1].requestId");
        await AssertProblemAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new { requestId = "r1", value = "many" }), HttpStatusCode.BadRequest, "value");
        var nothing = await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/telemetry");
        Assert.Equal(3, nothing.GetProperty("pending").GetInt32());

        await OkAsync(await _api.PostAsJsonAsync($"/api/models/{model}/feedback", new { labels = new object[] { new { requestId = "r1", value = 110 }, new { requestId = "r2", value = 190 } } }));
        var (exit, _, _) = await silo.AviaryAsync(TimeSpan.FromSeconds(30), "model", "feedback", model, "r3", "330");
        Assert.Equal(0, exit);

        var live = (await _api.GetFromJsonAsync<JsonElement>($"/api/models/{model}/telemetry?window=10m")).GetProperty("versions").EnumerateArray().Single();
        var quality = live.GetProperty("quality");
        Assert.Equal(3, quality.GetProperty("labels").GetInt64());
        Assert.Equal((10 + 10 + 30) / 3.0, quality.GetProperty("mae").GetDouble(), 6);
        Assert.Equal(3, live.GetProperty("requests").GetInt64());
    }
}
