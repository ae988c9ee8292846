using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>The real <c>aviary</c> workflow, dead-letter, agents and data commands against the real silo process.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class WorkflowCliTests(SiloProcessFixture silo) : IDisposable
{
    private static readonly TimeSpan Command = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("aviary-wf-cli-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonElement Json(string stdout)
    {
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Plan_ShowsBatchesAndCriticalPath_ACycleIsNamed_FromImportsWritesAPlan()
    {
        var good = Write("good.yaml", "name: good\ntasks:\n  - id: a\n    agent: noop\n    estimate: 2s\n  - id: b\n    agent: noop\n    dependsOn: [a]\n    estimate: 3s\n  - id: c\n    agent: noop\n    dependsOn: [a]\n");
        var cyclic = Write("cyclic.yaml", "tasks:\n  - id: a\n    agent: noop\n    dependsOn: [c]\n  - id: b\n    agent: noop\n    dependsOn: [a]\n  - id: c\n    agent: noop\n    dependsOn: [b]\n");
        Write("src/app.py", "import util\n");
        Write("src/util.py", "");

        var plan = await silo.AviaryAsync(Command, "workflow", "plan", good, "--output", "json");
        var bad = await silo.AviaryAsync(Command, "workflow", "plan", cyclic);
        var imports = await silo.AviaryAsync(Command, "workflow", "from-imports", Path.Combine(_dir, "src"), "--out", Path.Combine(_dir, "imports.yaml"));
        var importedPlan = await silo.AviaryAsync(Command, "workflow", "plan", Path.Combine(_dir, "imports.yaml"), "--output", "json");

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var analysis = Json(plan.Stdout);
        Assert.Equal([["a"], ["b", "c"]], analysis.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(t => t.GetString()).ToArray()));
        Assert.Equal(["a", "b"], analysis.GetProperty("criticalPath").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("error: tasks: cycle a -> c -> b -> a", bad.Stderr.TrimEnd()); // a waits for c, c for b, b for a
        Assert.True(imports.ExitCode == 0, imports.Stderr);
        Assert.True(importedPlan.ExitCode == 0, importedPlan.Stderr);
        Assert.Equal([["util.py"], ["app.py"]], Json(importedPlan.Stdout).GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(t => t.GetString()).ToArray()));
    }

    [Fact]
    public async Task FailedRun_WatchExits3_DeadLetterShownRetriedAndPurged_ThenTheRunSucceeds()
    {
        var runId = $"cli-{Guid.NewGuid():N}"[..20];
        var plan = Write("flaky.yaml", $"name: flaky\ntasks:\n  - id: flaky\n    agent: simulated\n    input: {{ failAttempts: \"1\", run: {runId} }}\n    retry: {{ maxAttempts: 1 }}\n  - id: after\n    agent: noop\n    dependsOn: [flaky]\n    input: {{ run: {runId} }}\n");

        var failed = await silo.AviaryAsync(Command, "workflow", "run", plan, "--id", runId, "--watch");
        var list = await silo.AviaryAsync(Command, "dlq", "list", "--output", "json");
        var show = await silo.AviaryAsync(Command, "dlq", "show", $"{runId}:flaky", "--output", "json");
        var retry = await silo.AviaryAsync(Command, "dlq", "retry", $"{runId}:flaky");
        var watched = await silo.AviaryAsync(Command, "workflow", "watch", runId);
        var status = await silo.AviaryAsync(Command, "workflow", "status", runId, "--output", "json");
        var agents = await silo.AviaryAsync(Command, "agents", "list", "--output", "json");
        var runs = await silo.AviaryAsync(Command, "workflow", "list", "--output", "json");

        Assert.True(failed.ExitCode == 3, $"exit {failed.ExitCode}\n{failed.Stdout}\n{failed.Stderr}");
        Assert.Contains("dead-lettered", failed.Stdout);
        Assert.Contains("Failed", failed.Stdout);
        Assert.Contains(Json(list.Stdout).EnumerateArray(), e => e.GetProperty("key").GetString() == $"{runId}:flaky");
        var entry = Json(show.Stdout);
        Assert.Equal(("simulated", 1, "Simulated", "1"),
            (entry.GetProperty("agent").GetString(), entry.GetProperty("attempts").GetInt32(), entry.GetProperty("errorKind").GetString(), entry.GetProperty("input").GetProperty("failAttempts").GetString()));
        Assert.True(retry.ExitCode == 0, retry.Stderr);
        Assert.True(watched.ExitCode == 0, $"exit {watched.ExitCode}\n{watched.Stdout}\n{watched.Stderr}");
        var view = Json(status.Stdout);
        Assert.Equal("succeeded", view.GetProperty("status").GetString());
        Assert.Equal([("flaky", 2), ("after", 1)], view.GetProperty("tasks").EnumerateArray().Select(t => (t.GetProperty("id").GetString(), t.GetProperty("attempts").GetInt32())));
        Assert.Contains(Json(agents.Stdout).EnumerateArray(), a => a.GetProperty("agent").GetString() == "simulated" && a.GetProperty("failed").GetInt64() >= 1);
        Assert.Contains(Json(runs.Stdout).EnumerateArray(), r => r.GetProperty("runId").GetString() == runId);

        var purge = await silo.AviaryAsync(Command, "dlq", "purge");
        var after = await silo.AviaryAsync(Command, "dlq", "list", "--output", "json");
        Assert.True(purge.ExitCode == 0, purge.Stderr);
        Assert.Empty(Json(after.Stdout).EnumerateArray());
    }

    [Fact]
    public async Task DataGenerate_WritesTheAskedFormat_SameSeedSameFile()
    {
        var first = await silo.AviaryAsync(Command, "data", "generate", "--rows", "300", "--messy", "--format", "json", "--out", Path.Combine(_dir, "one"), "--seed", "9");
        var second = await silo.AviaryAsync(Command, "data", "generate", "--rows", "300", "--messy", "--format", "json", "--out", Path.Combine(_dir, "two"), "--seed", "9");
        var bad = await silo.AviaryAsync(Command, "data", "generate", "--format", "parquet", "--out", _dir);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var one = File.ReadAllBytes(Path.Combine(_dir, "one", "sales-300-messy.json"));
        Assert.Equal(one, File.ReadAllBytes(Path.Combine(_dir, "two", "sales-300-messy.json")));
        Assert.Equal(JsonValueKind.Array, Json(System.Text.Encoding.UTF8.GetString(one)).ValueKind);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("error: format: must be csv, json or xlsx (got 'parquet')", bad.Stderr.TrimEnd());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
