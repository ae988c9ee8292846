using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aviary.Tests.EndToEnd;

/// <summary>
/// Bad input and abuse against the real silo process, as a table: through the API and through the
/// console, each answer names the field and the rule, nothing it touched changed (read back), and
/// the silo stays healthy.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class BadInputTests(SiloProcessFixture silo)
{
    private const string Service = "bad-input";

    private static readonly TimeSpan Command = TimeSpan.FromSeconds(60);

    private const string Json = "application/json";
    private const string Yaml = "application/yaml";

    private static string Plan(string task) => $"name: p\ntasks:\n{task}";

    /// <summary>A few lines that would be millions of nodes if aliases were copied: nine levels of ten aliases each.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("name: p\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 12; level++)
            text.Append($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        return text.Append("tasks:\n  - id: a\n    agent: noop\n").ToString();
    }

    public static TheoryData<string, string, string, string?, string?, int, string> Api() => new()
    {
        // name, method, path, content type, body, status, field
        { "stages above 100", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"stages": [10, 200]}""", 400, "stages" },
        { "stages not rising", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"stages": [50, 25, 100]}""", 400, "stages" },
        { "stages of the wrong type", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"stages": "ten"}""", 400, "stages" },
        { "error rate above 1", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"maxErrorRate": 1.5}""", 400, "max-error-rate" },
        { "NaN", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"maxErrorRate": "NaN"}""", 400, "max-error-rate" },
        { "Infinity", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"maxErrorRate": 1e400}""", 400, "max-error-rate" },
        { "a number where a text goes", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"previewHeader": 42}""", 400, "previewHeader" },
        { "text that is not JSON", "POST", $"/api/deployments/{Service}/versions/v2", "text/plain", "stages=10,100", 415, "content-type" },
        { "unknown field", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"stagez": [10, 100]}""", 400, "stagez" },
        { "malformed JSON", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"stages": [10, """, 400, "stages[1]" },
        { "an array for an object", "POST", $"/api/deployments/{Service}/versions/v2", Json, "[1, 2]", 400, "body" },
        { "a duration that is not one", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"interval": "forever"}""", 400, "interval" },
        { "interval below the minimum", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"interval": "00:00:00.001"}""", 400, "interval" },
        { "a destination that is not http", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"to": ["ftp://upstream"]}""", 400, "to" },
        { "a destination with credentials", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"to": ["http://user:pw@upstream"]}""", 400, "to" },
        { "a destination twice", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"to": ["http://a:1", "http://a:1"]}""", 400, "to" },
        { "an unknown strategy", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"strategy": "yolo"}""", 400, "strategy" },
        { "mirror above 100 %", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"strategy": "shadow", "mirrorPercent": 150}""", 400, "mirror-percent" },
        { "A/B without a rule", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"strategy": "ab"}""", 400, "match" },
        { "a gate that is no stage", "POST", $"/api/deployments/{Service}/versions/v2", Json, """{"gates": [33]}""", 400, "gates" },
        { "a service name of 300 characters", "POST", $"/api/deployments/{new string('a', 300)}/versions/v1", null, "", 400, "service" },
        { "a service name with a slash", "POST", "/api/deployments/bad%2Fname/versions/v1", null, "", 400, "service" },
        { "a service name with a control character", "POST", "/api/deployments/bad%01name/versions/v1", null, "", 400, "service" },
        { "upper case in a service name", "POST", "/api/deployments/Shop/versions/v1", null, "", 400, "service" },
        { "a service name ending in a newline", "POST", "/api/deployments/shop%0A/versions/v1", null, "", 400, "service" },
        { "a version of 300 characters", "POST", $"/api/deployments/{Service}/versions/{new string('v', 300)}", null, "", 400, "version" },
        { "a negative latency", "POST", $"/api/deployments/{Service}/versions/v1/samples", Json, """[{"ok": true, "latencyMs": -1}]""", 400, "samples[0].latencyMs" },
        { "a sample without ok", "POST", $"/api/deployments/{Service}/versions/v1/samples", Json, """[{"latencyMs": 5}]""", 400, "samples[0].ok" },
        { "no samples", "POST", $"/api/deployments/{Service}/versions/v1/samples", Json, "[]", 400, "samples" },
        { "a body over the limit", "POST", "/api/keys", Json, "{\"name\": \"" + new string('k', 64 * 1024) + "\", \"role\": \"viewer\"}", 413, "body" },
        { "promote with no rollout", "POST", $"/api/deployments/{Service}/promote", null, "", 409, "service" },
        { "an unknown service", "POST", "/api/deployments/no-such-service/abort", null, "", 404, "service" },
        { "a path prefix without a slash", "PUT", $"/api/services/{Service}", Json, """{"pathPrefix": "shop"}""", 400, "path-prefix" },
        { "a host that is no host name", "PUT", $"/api/services/{Service}", Json, """{"hosts": ["bad host!"]}""", 400, "host" },
        { "a sticky header with a newline", "PUT", $"/api/services/{Service}", Json, """{"hosts": ["bad-input"], "stickyHeader": "x-user\n"}""", 400, "sticky-header" },
        { "a split of one version", "PUT", $"/api/services/{Service}/split", Json, """{"split": [{"version": "v1", "weight": 50}]}""", 400, "weights" },
        { "split weights not summing to 100", "PUT", $"/api/services/{Service}/split", Json, """{"split": [{"version": "v1", "weight": 50}, {"version": "v2", "weight": 20}]}""", 400, "weights" },
        { "a YAML bomb", "POST", "/api/workflows/bomb-run", Yaml, BillionLaughs(), 400, "body" },
        { "YAML nested ten thousand deep", "POST", "/api/workflows/deep-run", Yaml, "tasks: " + new string('[', 10_000) + new string(']', 10_000), 400, "body" },
        { "JSON nested ten thousand deep", "POST", "/api/workflows/deep-json-run", Json, """{"tasks": """ + new string('[', 10_000) + new string(']', 10_000) + "}", 400, "body" },
        { "a plan with a cycle", "POST", "/api/workflows/cycle-run", Yaml, Plan("  - id: a\n    agent: noop\n    dependsOn: [b]\n  - id: b\n    agent: noop\n    dependsOn: [a]\n"), 400, "tasks" },
        { "an unknown agent", "POST", "/api/workflows/agent-run", Yaml, Plan("  - id: a\n    agent: teleporter\n"), 400, "tasks[0].agent" },
        { "a file outside the data directory", "POST", "/api/workflows/passwd-run", Yaml, Plan("  - id: a\n    agent: data-loader\n    input: { path: /etc/passwd }\n"), 400, "tasks[0].input.path" },
        { "a relative path that climbs out", "POST", "/api/workflows/climb-run", Yaml, Plan("  - id: a\n    agent: data-loader\n    input: { path: ../../../../etc/shadow }\n"), 400, "tasks[0].input.path" },
        { "a run id with a slash", "POST", "/api/workflows/a%2Fb", Yaml, Plan("  - id: a\n    agent: noop\n"), 400, "run" },
        { "a misspelt plan field", "POST", "/api/workflows/typo-run", Yaml, Plan("  - id: a\n    agent: noop\n    depends_on: [b]\n"), 400, "body" },
        { "a secret name with a slash", "PUT", "/api/secrets/a%2Fb", Json, """{"value": "x"}""", 400, "name" },
        { "a key with an unknown role", "POST", "/api/keys", Json, """{"name": "k", "role": "emperor"}""", 400, "role" },
        { "a key that expired before it began", "POST", "/api/keys", Json, """{"name": "k", "role": "viewer", "expiresIn": "-1.00:00:00"}""", 400, "expiresIn" },
        { "no rows to generate", "POST", "/api/data/generate", Json, """{"rows": 0}""", 400, "rows" },
        { "a dataset format that is none", "POST", "/api/data/generate", Json, """{"format": "pdf"}""", 400, "format" },
        { "an endpoint that does not exist", "GET", "/api/nothing-here", null, null, 404, "path" },
        { "a method the route does not take", "DELETE", "/api/deployments", null, null, 405, "method" },
        { "a feed filter of an unknown kind", "GET", "/api/events?kind=gossip", null, null, 400, "kind" },
        { "an audit since that is no time", "GET", "/api/audit?since=yesterday-ish", null, null, 400, "since" },
    };

    [Theory]
    [MemberData(nameof(Api))]
    public async Task Api_RefusesByFieldAndRule_AndChangesNothing(string name, string method, string path, string? contentType, string? body, int status, string field)
    {
        using var admin = silo.Api();
        await EnsureServiceAsync(admin);
        var before = await StateAsync(admin);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is { Length: > 0 })
            request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "text/plain");
        using var response = await admin.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("field").GetString() == field, $"{name}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("rule").GetString()), $"{name}: no rule");
        Assert.Equal(before, await StateAsync(admin));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Aviary.Silo.Health.HealthEndpoints.ReadyPath)).StatusCode);
    }

    public static TheoryData<string, string[], string> Console() => new()
    {
        // name, arguments, the start of the error line
        { "stages above 100", ["deploy", Service, "v2", "--stages", "10,200"], "error: stages:" },
        { "a bad duration", ["deploy", Service, "v2", "--bake", "soon"], "error: bake:" },
        { "a service name with a slash", ["deploy", "bad/name", "v1"], "error: service:" },
        { "a destination that is not a URL", ["deploy", Service, "v2", "--to", "not a url"], "error: to:" },
        { "split weights that are not numbers", ["split", Service, "--weights", "v1=lots"], "error: weights:" },
        { "a path prefix without a slash", ["service", "add", Service, "--path-prefix", "shop"], "error: path-prefix:" },
        { "an error rate above 1", ["simulate", Service, "--version", "v1", "--error-rate", "2"], "error: error-rate:" },
        { "a plan file that does not exist", ["workflow", "run", "/nonexistent/plan.yaml"], "error: file:" },
        { "a dead letter key that is nothing", ["dlq", "show", "nobody:nothing"], "error: key:" },
        { "an output format that is none", ["status", "--output", "xml"], "error: output:" },
        { "a YAML bomb in a plan", ["workflow", "run", "@bomb"], "error: file:" },
        { "a file outside the data directory", ["workflow", "run", "@passwd"], "error: tasks[0].input.path:" },
        { "an audit since that is no time", ["audit", "--since", "yesterday-ish"], "error: since:" },
    };

    [Theory]
    [MemberData(nameof(Console))]
    public async Task Console_RefusesByFieldAndRule_Exit1_AndChangesNothing(string name, string[] args, string error)
    {
        using var admin = silo.Api();
        await EnsureServiceAsync(admin);
        var before = await StateAsync(admin);

        var files = Directory.CreateTempSubdirectory("aviary-bad-").FullName;
        string File(string name, string text)
        {
            var path = Path.Combine(files, name);
            System.IO.File.WriteAllText(path, text);
            return path;
        }
        args = args.Select(a => a switch
        {
            "@bomb" => File("bomb.yaml", BillionLaughs()),
            "@passwd" => File("passwd.yaml", Plan("  - id: a\n    agent: data-loader\n    input: { path: /etc/passwd }\n")),
            _ => a,
        }).ToArray();

        var run = await silo.AviaryAsync(Command, args);

        Assert.True(run.ExitCode == 1, $"{name}: exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.StartsWith(error, run.Stderr.TrimEnd());
        Assert.Single(run.Stderr.TrimEnd().Split('\n')); // one line
        Assert.Equal(before, await StateAsync(admin));
    }

    /// <summary>The service the table's rows aim at: v1 stable, routed by host, no rollout.</summary>
    private static async Task EnsureServiceAsync(HttpClient admin)
    {
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new { hosts = new[] { Service } })).EnsureSuccessStatusCode();
        var status = await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{Service}");
        if (status.GetProperty("deployment").GetProperty("stableVersion").GetString() is not { Length: > 0 })
            (await admin.PostAsync($"/api/deployments/{Service}/versions/v1", null)).EnsureSuccessStatusCode();
    }

    /// <summary>What a bad input could have changed, read back.</summary>
    private static async Task<string> StateAsync(HttpClient admin)
    {
        var parts = new List<string>();
        foreach (var path in new[] { $"/api/deployments/{Service}", "/api/services", "/api/secrets", "/api/keys", "/api/deadletters" })
            parts.Add(await admin.GetStringAsync(path));
        var runs = await admin.GetFromJsonAsync<JsonElement>("/api/workflows");
        parts.Add(string.Join(",", runs.EnumerateArray().Select(r => r.GetProperty("runId").GetString()).Order()));
        return string.Join("\n", parts);
    }
}
