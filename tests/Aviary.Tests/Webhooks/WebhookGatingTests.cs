using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Silo.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Aviary.Tests.Webhooks;

/// <summary>Gating hooks against a real silo: <c>rollout.starting</c> may refuse a deploy, <c>rollout.confirm-promotion</c> holds or fails a stage.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class WebhookGatingTests(WebhookSiloFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    [Fact]
    public async Task Starting_Refused_RefusesTheDeployNamingHookAndAnswer_ThenAccepted_Starts()
    {
        const string service = "wh-start";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.AnswerWith(403, "change freeze until 14:00");
        var secret = await WebhookSiloFixture.AddHookAsync(_api, "wh-start-gate", receiver.Url, service, ["rollout.starting"]);
        await WebhookSiloFixture.StableAsync(_api, service);
        Assert.Empty(receiver.All); // a first version starts no rollout: nobody is asked

        var refused = await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("webhook: deploy refused: webhook 'wh-start-gate' answered 403: change freeze until 14:00", problem.GetProperty("detail").GetString());
        var asked = Assert.Single(receiver.All);
        Assert.Equal("rollout.starting", asked.Event);
        Assert.True(WebhookSigner.Verify(secret, asked.Body, asked.Signature));
        Assert.Equal("v2", asked.Json.GetProperty("version").GetString());
        var deployment = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{service}");
        Assert.Equal(JsonValueKind.Null, deployment.GetProperty("deployment").GetProperty("activeRolloutId").ValueKind);

        receiver.AnswerWith(204);
        var accepted = await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        // The refused start keeps its number in the release history ("did not start: …"): this is the second.
        Assert.Equal("wh-start/2", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout").GetProperty("rolloutId").GetString());
    }

    [Fact]
    public async Task Starting_NoAnswerInTime_RefusesTheDeploy()
    {
        const string service = "wh-start-slow";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.NeverAnswer();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-start-slow", receiver.Url, service, ["rollout.starting"], timeout: "00:00:00.300");
        await WebhookSiloFixture.StableAsync(_api, service);

        var refused = await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("webhook: deploy refused: webhook 'wh-start-slow' did not answer in 0.3 s",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ConfirmPromotion_Refused_HoldsTheStage_ThenAccepted_Advances()
    {
        const string service = "wh-confirm";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.AnswerWith(409, "waiting for QA");
        await WebhookSiloFixture.AddHookAsync(_api, "wh-confirm", receiver.Url, service, ["rollout.confirm-promotion"]);
        await WebhookSiloFixture.StableAsync(_api, service);
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy)).EnsureSuccessStatusCode();

        await using var feed = new SampleFeed(_api, service, "v2");
        await receiver.WaitForAsync(r => r.Event == "rollout.confirm-promotion", "the first confirm-promotion question");
        await Poll.UntilAsync(() => Task.FromResult(receiver.All.Length >= 3), "three confirm-promotion questions (one per check)");

        var held = await WebhookSiloFixture.RolloutAsync(_api, service);
        Assert.Equal("progressing", held.GetProperty("status").GetString());
        Assert.Equal(50, held.GetProperty("weight").GetInt32());
        var holds = held.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("message").GetString()!).Where(m => m.StartsWith("held", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["held at 50 %: webhook 'wh-confirm' answered 409: waiting for QA"], holds);
        var asked = receiver.All[0].Json;
        Assert.Equal(100, asked.GetProperty("weight").GetInt32()); // the weight it asks to move to
        Assert.Equal("wh-confirm/1", asked.GetProperty("rolloutId").GetString());

        receiver.AnswerWith(200);
        await WebhookSiloFixture.UntilStatusAsync(_api, service, "succeeded", "after the hook agreed");
    }

    [Fact]
    public async Task TwoPersonRule_LastApprovalRefusedByConfirmHook_KeepsTheApprovals_AndTheChecksAskAgain()
    {
        const string service = "wh-two-person";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.AnswerWith(409, "change freeze in QA");
        await WebhookSiloFixture.AddHookAsync(_api, "wh-two-person", receiver.Url, service, ["rollout.confirm-promotion"]);
        (await _api.PutAsJsonAsync("/api/guardrails", new { approvals = new[] { new { service, required = 2 } } })).EnsureSuccessStatusCode();
        try
        {
            await WebhookSiloFixture.StableAsync(_api, service);
            (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy)).EnsureSuccessStatusCode();
            using var alice = silo.Api(await KeyAsync("wh-alice"));
            using var bob = silo.Api(await KeyAsync("wh-bob"));
            JsonElement waiting;
            await using (new SampleFeed(_api, service, "v2"))
                waiting = await Poll.UntilAsync(() => WebhookSiloFixture.RolloutAsync(_api, service), r => r.GetProperty("status").GetString() == "paused", "the rollout pausing for its approvals");
            Assert.StartsWith("waiting for approvals", waiting.GetProperty("pauseReason").GetString());

            (await alice.PostAsync($"/api/deployments/{service}/approve", null)).EnsureSuccessStatusCode();
            var last = await bob.PostAsync($"/api/deployments/{service}/approve", null);

            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
            var kept = await last.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("progressing", 50, 2), (kept.GetProperty("status").GetString(), kept.GetProperty("weight").GetInt32(), kept.GetProperty("approvals").GetArrayLength()));
            Assert.Equal("rollout.confirm-promotion", receiver.All.Last().Event);

            receiver.AnswerWith(200);
            await using (new SampleFeed(_api, service, "v2"))
                await WebhookSiloFixture.UntilStatusAsync(_api, service, "succeeded", "after the hook agreed to the approved rollout");
        }
        finally
        {
            (await _api.PutAsJsonAsync("/api/guardrails", new { })).EnsureSuccessStatusCode();
        }
    }

    private async Task<string> KeyAsync(string name)
    {
        var created = await (await _api.PostAsJsonAsync("/api/keys", new { name, role = "operator" })).Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task ConfirmPromotion_NoAnswer_CountsAsFailedChecks_RollsBackAtTheLimit()
    {
        const string service = "wh-confirm-slow";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.NeverAnswer();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-confirm-slow", receiver.Url, service, ["rollout.confirm-promotion"], timeout: "00:00:00.200");
        await WebhookSiloFixture.StableAsync(_api, service);
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2",
            new { stages = new[] { 50, 100 }, bake = "00:00:00", interval = "00:00:00.300", minSamples = 5, inconclusiveLimit = 1000, failureLimit = 2 })).EnsureSuccessStatusCode();

        JsonElement rolledBack;
        await using (new SampleFeed(_api, service, "v2"))
            rolledBack = await WebhookSiloFixture.UntilStatusAsync(_api, service, "rolledBack", "after two unanswered confirm-promotion questions");

        var messages = rolledBack.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("message").GetString()).ToArray();
        Assert.Contains("check failed: webhook 'wh-confirm-slow' did not answer in 0.2 s (1 of 2 allowed in a row)", messages);
        Assert.Equal("rolled back: webhook 'wh-confirm-slow' did not answer in 0.2 s (2 failed check(s) in a row)", messages[^1]);
        Assert.Equal(0, rolledBack.GetProperty("weight").GetInt32());
        var log = await Poll.UntilAsync(() => WebhookSiloFixture.DeliveriesAsync(_api, "wh-confirm-slow"), l => l.Length == 2, "two gating calls in the log");
        Assert.All(log, d => Assert.Equal("webhook 'wh-confirm-slow' did not answer in 0.2 s", d.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task OperatorPromote_RefusedByConfirmHook_Is409NamingTheHook()
    {
        const string service = "wh-promote";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.AnswerWith(StatusCodes.Status423Locked, "locked");
        await WebhookSiloFixture.AddHookAsync(_api, "wh-promote", receiver.Url, service, ["rollout.confirm-promotion"]);
        await WebhookSiloFixture.StableAsync(_api, service);
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", new { stages = new[] { 50, 100 }, interval = "01:00:00" })).EnsureSuccessStatusCode();

        var promote = await _api.PostAsync($"/api/deployments/{service}/promote", null);

        Assert.Equal(HttpStatusCode.Conflict, promote.StatusCode);
        Assert.Equal("webhook: promotion refused: webhook 'wh-promote' answered 423: locked",
            (await promote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(50, (await WebhookSiloFixture.RolloutAsync(_api, service)).GetProperty("weight").GetInt32());
    }
}
