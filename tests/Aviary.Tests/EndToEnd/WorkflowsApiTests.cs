using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using static Aviary.Tests.EndToEnd.ApiBodies;

namespace Aviary.Tests.EndToEnd;

/// <summary>Workflows, dead letters and agent pools over the real silo's HTTP API.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class WorkflowsApiTests(SiloProcessFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    [Fact]
    public async Task Analysis_ShowsBatchesAndCriticalPath_AndACycleIsNamed()
    {
        var ok = await _api.PostAsync("/api/workflows/analysis", Yaml("name: p\ntasks:\n  - id: a\n    agent: noop\n  - id: b\n    agent: noop\n    dependsOn: [a]\n  - id: c\n    agent: noop\n    dependsOn: [a]\n"));
        var cycle = await _api.PostAsync("/api/workflows/analysis", Yaml("name: p\ntasks:\n  - id: a\n    agent: noop\n    dependsOn: [b]\n  - id: b\n    agent: noop\n    dependsOn: [a]\n"));
        var garbage = await _api.PostAsync("/api/workflows/analysis", Yaml("tasks: [unclosed"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var analysis = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([["a"], ["b", "c"]], analysis.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(t => t.GetString()).ToArray()));
        Assert.Equal(("tasks", HttpStatusCode.BadRequest), (await FieldAsync(cycle), cycle.StatusCode));
        Assert.Equal(("body", HttpStatusCode.BadRequest), (await FieldAsync(garbage), garbage.StatusCode));
    }

    [Fact]
    public async Task FailedRun_DeadLetterShownAndRetried_ThenTheRunSucceeds_AndPurge()
    {
        var run = $"api-{Guid.NewGuid():N}"[..20];
        var plan = $"name: flaky\ntasks:\n  - id: flaky\n    agent: simulated\n    input: {{ failAttempts: \"1\", run: {run} }}\n    retry: {{ maxAttempts: 1 }}\n  - id: after\n    agent: noop\n    dependsOn: [flaky]\n";

        var started = await _api.PostAsync($"/api/workflows/{run}", Yaml(plan));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/workflows/{run}", Yaml(plan))).StatusCode); // the same run again: as it is
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "failed", "the run failed");

        var key = $"{run}:flaky";
        Assert.Contains((await _api.GetFromJsonAsync<JsonElement>("/api/deadletters")).EnumerateArray(), e => e.GetProperty("key").GetString() == key);
        var entry = await _api.GetFromJsonAsync<JsonElement>($"/api/deadletters/{key}");
        Assert.Equal("simulated", entry.GetProperty("agent").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/deadletters/nobody:nothing")).StatusCode);

        var retried = await (await _api.PostAsync($"/api/deadletters/{key}/retry", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([key], retried.GetProperty("retried").EnumerateArray().Select(k => k.GetString()));
        await Poll.UntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}")).GetProperty("status").GetString() == "succeeded", "the retried run succeeded");
        Assert.Contains((await _api.GetFromJsonAsync<JsonElement>("/api/workflows")).EnumerateArray(), r => r.GetProperty("runId").GetString() == run);
        Assert.Contains((await _api.GetFromJsonAsync<JsonElement>("/api/agents")).EnumerateArray(), a => a.GetProperty("agent").GetString() == "simulated" && a.GetProperty("failed").GetInt64() >= 1);

        var purged = await _api.DeleteAsync("/api/deadletters");
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Empty((await _api.GetFromJsonAsync<JsonElement>("/api/deadletters")).EnumerateArray());
    }

    /// <summary>A dataset the silo writes into its data directory, which a run started through the API then reads: the remote way to the data agents.</summary>
    [Fact]
    public async Task GeneratedDataset_IsWrittenInTheDataDirectory_AndARunReadsIt_AndTheConsoleAsksForOne()
    {
        var generated = await _api.PostAsJsonAsync("/api/data/generate", new { rows = 500, messy = true, seed = 7 });
        generated.EnsureSuccessStatusCode();
        var dataset = await generated.Content.ReadFromJsonAsync<JsonElement>();
        var path = dataset.GetProperty("path").GetString()!;
        var run = $"gen-{Guid.NewGuid():N}"[..20];
        var started = await _api.PostAsync($"/api/workflows/{run}?input={Uri.EscapeDataString(path)}",
            Yaml("name: load\ntasks:\n  - id: load\n    agent: data-loader\n    input: { path: \"${input}\" }\n"));
        var final = await Poll.UntilAsync(async () => await _api.GetFromJsonAsync<JsonElement>($"/api/workflows/{run}"),
            v => v.GetProperty("status").GetString() != "running", "the run done", TimeSpan.FromSeconds(60));
        var console = await silo.AviaryAsync(TimeSpan.FromSeconds(60), "data", "generate", "--rows", "100", "--on-server", "--output", "json");

        Assert.StartsWith(Path.Combine(Path.GetFullPath(silo.DataDirectory), "datasets") + Path.DirectorySeparatorChar, path);
        Assert.Equal(501, File.ReadLines(path).Count()); // a header and 500 rows
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("succeeded", final.GetProperty("status").GetString());
        Assert.True(console.ExitCode == 0, console.Stderr);
        Assert.True(File.Exists(JsonDocument.Parse(console.Stdout).RootElement.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task Cancel_StopsARun_AndAnUnknownRunIs404()
    {
        var run = $"api-cancel-{Guid.NewGuid():N}"[..24];
        await _api.PostAsync($"/api/workflows/{run}", Yaml("name: slow\ntasks:\n  - id: wait\n    agent: simulated\n    input: { delayMs: \"30000\" }\n  - id: after\n    agent: noop\n    dependsOn: [wait]\n"));

        var cancelled = await _api.PostAsync($"/api/workflows/{run}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/workflows/nobody-here/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/workflows/bad%20id")).StatusCode);
    }
}
