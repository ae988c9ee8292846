using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aviary.Tests.Guardrails;

/// <summary>Every guardrail on a real silo, through the HTTP API: refusals name the rule and the audit log keeps them.</summary>
public sealed class GuardrailsTests(GuardrailsSilo fixture) : IClassFixture<GuardrailsSilo>, IAsyncLifetime
{
    private readonly HttpClient _admin = fixture.Silo.Api();

    public Task InitializeAsync() => SetAsync(new { });

    public Task DisposeAsync() => SetAsync(new { });

    [Fact]
    public async Task Freeze_RefusesNewRollouts_NamingTheWindow_AnAdminMayOverride_AbortsStayAllowed_AndTheAuditKeepsIt()
    {
        const string service = "freeze-shop";
        await DeployAsync(_admin, service, "v1");
        var now = DateTimeOffset.UtcNow;
        await SetAsync(new { freezes = new[] { new { name = "launch", reason = "launch week", from = now.AddHours(-1), until = now.AddHours(1) } } });
        var (@operator, _) = await fixture.KeyAsync("freeze-operator", "operator");

        var refused = await @operator.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { });
        var notAdmin = await @operator.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { freezeOverride = "hotfix INC-1" });
        var overridden = await _admin.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { freezeOverride = "hotfix INC-1" });
        var aborted = await @operator.PostAsync($"/api/deployments/{service}/abort?reason=wrong+build", null);

        var problem = await ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("freeze", problem.Field);
        Assert.StartsWith("freeze 'launch' (launch week) allows no new rollout until ", problem.Rule);
        Assert.Equal(("freezeOverride", "only an admin may deploy inside a freeze window"), await ProblemAsync(notAdmin, HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        Assert.Equal("progressing", (await overridden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, aborted.StatusCode);

        var audit = (await _admin.GetFromJsonAsync<JsonElement>($"/api/audit?service={service}&since=1h")).EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("outcome").GetString() == "refused" && e.GetProperty("reason").GetString()!.StartsWith("freeze: freeze 'launch'", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.GetProperty("outcome").GetString() == "accepted" && (e.GetProperty("body").GetString() ?? "").Contains("hotfix INC-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrency_AtTheLimit_QueuesDeploysInOrder_AndStartsTheNextWhenASlotFrees()
    {
        await SetAsync(new { maxActiveRollouts = 1 });
        foreach (var service in new[] { "queue-a", "queue-b", "queue-c" })
            await DeployAsync(_admin, service, "v1");

        var first = await DeployAsync(_admin, "queue-a", "v2");
        var second = await DeployAsync(_admin, "queue-b", "v2");
        var third = await DeployAsync(_admin, "queue-c", "v2");
        var promoteQueued = await _admin.PostAsync("/api/deployments/queue-b/promote", null);
        var queue = await _admin.GetFromJsonAsync<JsonElement>("/api/queue");

        Assert.Equal("queue-a/1", first.GetProperty("rollout").GetProperty("rolloutId").GetString());
        Assert.Equal((1, "waiting for a slot: 1 of 1 rollouts active in the cluster"), Queued(second));
        Assert.Equal(2, Queued(third).Position);
        Assert.Equal("queue-b/1", second.GetProperty("deployment").GetProperty("queued").GetProperty("rolloutId").GetString());
        Assert.Equal(["queue-a/1"], queue.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("rolloutId").GetString()));
        Assert.Equal(["queue-b/1", "queue-c/1"], queue.GetProperty("queued").EnumerateArray().Select(a => a.GetProperty("rolloutId").GetString()));
        Assert.Contains("waits in the release queue", (await ProblemAsync(promoteQueued, HttpStatusCode.Conflict)).Rule);

        (await _admin.PostAsync("/api/deployments/queue-a/abort?reason=make+room", null)).EnsureSuccessStatusCode();
        var started = await Poll.UntilAsync(() => DeploymentAsync("queue-b"), d => d.GetProperty("activeRolloutId").ValueKind == JsonValueKind.String, "queue-b's queued rollout starting after queue-a ended");
        var withdrawn = await _admin.DeleteAsync("/api/queue/queue-c?reason=not+today");
        var after = await _admin.GetFromJsonAsync<JsonElement>("/api/queue");

        Assert.Equal("queue-b/1", started.GetProperty("activeRolloutId").GetString());
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var release = (await DeploymentAsync("queue-c")).GetProperty("releases").EnumerateArray().Last();
        Assert.Equal(("cancelled", "not today"), (release.GetProperty("outcome").GetString(), release.GetProperty("reason").GetString()));
        Assert.Equal(["queue-b/1"], after.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("rolloutId").GetString()));
        Assert.Empty(after.GetProperty("queued").EnumerateArray());
        (await _admin.PostAsync("/api/deployments/queue-b/abort", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Dependent_WaitsForItsRelease_ACycleIsRefused_AndItIsCancelledWhenTheReleaseIsAborted()
    {
        await DeployAsync(_admin, "dep-a", "v1");
        await DeployAsync(_admin, "dep-b", "v1");

        var waiting = await DeployAsync(_admin, "dep-b", "v2", new { after = new[] { "dep-a@v2" } });
        var cycle = await _admin.PostAsJsonAsync("/api/deployments/dep-a/versions/v2", new { after = new[] { "dep-b@v2" } });

        Assert.Equal((1, "waiting for dep-a@v2"), Queued(waiting));
        Assert.Equal(("after", "waiting would make a cycle: dep-a@v2 → dep-b@v2 → dep-a@v2"), await ProblemAsync(cycle, HttpStatusCode.Conflict));

        await DeployAsync(_admin, "dep-a", "v2");
        (await _admin.PostAsync("/api/deployments/dep-a/promote?full=true", null)).EnsureSuccessStatusCode();
        var started = await Poll.UntilAsync(() => DeploymentAsync("dep-b"), d => d.GetProperty("activeRolloutId").ValueKind == JsonValueKind.String, "dep-b v2 starting after dep-a v2 succeeded");
        Assert.Equal("v2", started.GetProperty("canaryVersion").GetString());
        (await _admin.PostAsync("/api/deployments/dep-b/abort", null)).EnsureSuccessStatusCode();

        var bare = await _admin.PostAsJsonAsync("/api/deployments/dep-b/versions/v3", new { after = new[] { "dep-a" } });
        Assert.Equal(("after", "'dep-a' has no rollout in flight or queued; name a version (dep-a@v2) to wait for one not deployed yet"), await ProblemAsync(bare, HttpStatusCode.Conflict));

        await DeployAsync(_admin, "dep-a", "v3");
        Assert.Equal("waiting for dep-a@v3", Queued(await DeployAsync(_admin, "dep-b", "v3", new { after = new[] { "dep-a" } })).Waiting);
        (await _admin.PostAsync("/api/deployments/dep-a/abort?reason=bad+migration", null)).EnsureSuccessStatusCode();

        var cancelled = await Poll.UntilAsync(() => DeploymentAsync("dep-b"), d => d.GetProperty("queued").ValueKind == JsonValueKind.Null, "dep-b v3 cancelled after dep-a v3 was aborted");
        var release = cancelled.GetProperty("releases").EnumerateArray().Last();
        Assert.Equal(("v3", "cancelled", "dep-a@v3 was aborted: bad migration"),
            (release.GetProperty("version").GetString(), release.GetProperty("outcome").GetString(), release.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task TwoPersonRule_TheDeployerCannotApprove_PromoteWaitsForTwoDistinctApprovers()
    {
        const string service = "two-person";
        await SetAsync(new { approvals = new[] { new { service, required = 2 } } });
        await DeployAsync(_admin, service, "v1");
        await DeployAsync(_admin, service, "v2", new { bake = "01:00:00" });
        var (alice, aliceId) = await fixture.KeyAsync("alice", "operator");
        var (bob, bobId) = await fixture.KeyAsync("bob", "operator");

        var early = await _admin.PostAsync($"/api/deployments/{service}/promote", null);
        var self = await _admin.PostAsync($"/api/deployments/{service}/approve", null);
        var first = await alice.PostAsync($"/api/deployments/{service}/approve", null);
        var twice = await alice.PostAsync($"/api/deployments/{service}/approve", null);
        var second = await bob.PostAsync($"/api/deployments/{service}/approve", null);
        var promoted = await _admin.PostAsync($"/api/deployments/{service}/promote", null);

        Assert.Equal(("approvals", "two-person rule: 2 approval(s) needed to leave the first stage, 0 given; approve it first (aviary approve)"), await ProblemAsync(early, HttpStatusCode.Conflict));
        Assert.Equal(("approver", $"'{fixture.AdminCaller}' deployed this rollout; the two-person rule needs someone else to approve it"), await ProblemAsync(self, HttpStatusCode.Conflict));
        Assert.Equal([aliceId], (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approvals").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(("approver", $"'{aliceId}' has already approved (1 of 2); another person must"), await ProblemAsync(twice, HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var rollout = await promoted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 25), (rollout.GetProperty("stageIndex").GetInt32(), rollout.GetProperty("weight").GetInt32()));
        Assert.Equal([$"approved by {aliceId} (1 of 2)", $"approved by {bobId} (2 of 2)"],
            rollout.GetProperty("transitions").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "approved").Select(t => t.GetProperty("message").GetString()));
        (await _admin.PostAsync($"/api/deployments/{service}/abort", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Samples_ForAVersionNotDeployed_AreRefused_AndAFloodFromOneReporterIsLimited_WhileOthersGoOn()
    {
        const string service = "sample-guard";
        await DeployAsync(_admin, service, "v1");
        var (other, _) = await fixture.KeyAsync("other-reporter", "operator");
        var batch = Enumerable.Range(0, 150).Select(_ => new { ok = true, latencyMs = 5.0 }).ToArray();

        var undeployed = await _admin.PostAsJsonAsync($"/api/deployments/{service}/versions/v9/samples", batch);
        var taken = await _admin.PostAsJsonAsync($"/api/deployments/{service}/versions/v1/samples", batch);
        var flood = await _admin.PostAsJsonAsync($"/api/deployments/{service}/versions/v1/samples", batch);
        var otherReporter = await other.PostAsJsonAsync($"/api/deployments/{service}/versions/v1/samples", batch);

        Assert.Equal(("version", $"'v9' is not deployed in '{service}' (deployed: v1); samples are taken only for versions the service routes to"), await ProblemAsync(undeployed, HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        var limited = await ProblemAsync(flood, HttpStatusCode.TooManyRequests);
        Assert.Equal("samples", limited.Field);
        Assert.StartsWith("a reporter may post at most 100 samples a second, 200 at once: retry in ", limited.Rule);
        Assert.True(flood.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, otherReporter.StatusCode);
    }

    [Fact]
    public async Task BadGuardrails_AreRefusedNamingTheField_OnlyAnAdminSetsThem_AndNothingChanges()
    {
        await SetAsync(new { maxActiveRollouts = 3 });
        var (@operator, _) = await fixture.KeyAsync("rules-operator", "operator");

        var bad = await _admin.PutAsJsonAsync("/api/guardrails", new { freezes = new[] { new { name = "w", cron = "0 18 * * FRI", duration = "2.14:00:00", timeZone = "Mars/Olympus" } } });
        var unknown = await _admin.PutAsJsonAsync("/api/guardrails", new { maxActive = 2 });
        var notAdmin = await @operator.PutAsJsonAsync("/api/guardrails", new { maxActiveRollouts = 0 });
        var now = await _admin.GetFromJsonAsync<JsonElement>("/api/guardrails");

        Assert.Equal(("freezes[0].timeZone", "'Mars/Olympus' is not a known time zone (an IANA name such as Europe/Berlin)"), await ProblemAsync(bad, HttpStatusCode.BadRequest));
        Assert.Equal("maxActive", (await ProblemAsync(unknown, HttpStatusCode.BadRequest)).Field);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal(3, now.GetProperty("maxActiveRollouts").GetInt32());
    }

    [Fact]
    public async Task Console_SetsGuardrailsFromAFile_DeploysIntoTheQueue_ShowsIt_AndWithdraws()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("aviary-guardrails-").FullName, "guardrails.json");
        await File.WriteAllTextAsync(file, """{ "maxActiveRollouts": 1, "approvals": [ { "service": "cli-pay", "required": 2 } ] }""");
        await DeployAsync(_admin, "cli-a", "v1");
        await DeployAsync(_admin, "cli-b", "v1");

        var set = await fixture.AviaryAsync("guardrails", "set", file);
        var first = await fixture.AviaryAsync("deploy", "cli-a", "v2");
        var queued = await fixture.AviaryAsync("deploy", "cli-b", "v2", "--after", "cli-a@v2");
        var shown = await fixture.AviaryAsync("queue");
        var withdrawn = await fixture.AviaryAsync("queue", "withdraw", "cli-b", "--reason", "later");
        var empty = await fixture.AviaryAsync("queue", "--output", "json");

        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Contains("at most 1 rollouts active in the cluster", set.Stdout);
        Assert.Contains("cli-pay needs 2 approver(s) besides the deployer", set.Stdout);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("cli-b v2 queued at 1: waiting for cli-a@v2", queued.Stdout);
        Assert.Contains("cli-a/1", shown.Stdout);
        Assert.Contains("cli-b/1", shown.Stdout);
        Assert.Contains("waiting for cli-a@v2", shown.Stdout);
        Assert.True(withdrawn.ExitCode == 0, withdrawn.Stderr);
        var after = JsonDocument.Parse(empty.Stdout).RootElement;
        Assert.Empty(after.GetProperty("queued").EnumerateArray());
        Assert.Equal(["cli-a/1"], after.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("rolloutId").GetString()));
        (await _admin.PostAsync("/api/deployments/cli-a/abort", null)).EnsureSuccessStatusCode();
    }

    private async Task SetAsync(object policy) =>
        (await _admin.PutAsJsonAsync("/api/guardrails", policy)).EnsureSuccessStatusCode();

    private static async Task<JsonElement> DeployAsync(HttpClient client, string service, string version, object? body = null)
    {
        var response = await client.PostAsJsonAsync($"/api/deployments/{service}/versions/{version}", body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"deploy {service} {version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> DeploymentAsync(string service) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{service}")).GetProperty("deployment");

    private static (int Position, string Waiting) Queued(JsonElement deploy)
    {
        var queued = deploy.GetProperty("queued");
        Assert.False(queued.GetProperty("start").GetBoolean());
        return (queued.GetProperty("position").GetInt32(), queued.GetProperty("waiting").GetString()!);
    }

    private static async Task<(string Field, string Rule)> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        return (problem.GetProperty("field").GetString()!, problem.GetProperty("rule").GetString()!);
    }
}
