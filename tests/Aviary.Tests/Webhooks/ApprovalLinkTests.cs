using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aviary.Tests.Webhooks;

/// <summary>A gated stage's notification carries a one-time approval link: it promotes once, for an operator, and the audit log names who.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class ApprovalLinkTests(WebhookSiloFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    private async Task<(HttpClient Client, string Caller)> KeyAsync(string name, string role)
    {
        var created = await (await _api.PostAsJsonAsync("/api/keys", new { name, role })).Content.ReadFromJsonAsync<JsonElement>();
        return (silo.Api(created.GetProperty("token").GetString()), "key:" + created.GetProperty("key").GetProperty("id").GetString());
    }

    [Fact]
    public async Task GateLink_PromotesOnce_ForAnOperatorOnly_AndTheAuditLogNamesTheApprover()
    {
        const string service = "wh-approve";
        await using var receiver = await HookReceiver.StartAsync();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-approve", receiver.Url, service, ["rollout.paused"]);
        await WebhookSiloFixture.StableAsync(_api, service);
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2",
            new { stages = new[] { 25, 50, 100 }, gates = new[] { 50 }, bake = "00:00:00", interval = "00:00:00.300", minSamples = 5, inconclusiveLimit = 1000 })).EnsureSuccessStatusCode();

        JsonElement paused;
        await using (new SampleFeed(_api, service, "v2"))
            paused = (await receiver.WaitForAsync(r => r.Event == "rollout.paused", "rollout.paused at the gate before 50 %")).Json;

        var link = paused.GetProperty("approvalLink").GetString()!;
        Assert.StartsWith($"{WebhookSiloFixture.PublicUrl}/#/approve/", link);
        var token = link[(link.LastIndexOf('/') + 1)..];
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        var (viewer, viewerCaller) = await KeyAsync("wh-approve-viewer", "viewer");
        var (operatorClient, operatorCaller) = await KeyAsync("wh-approve-operator", "operator");

        var shown = await viewer.GetFromJsonAsync<JsonElement>($"/api/approvals/{token}");
        Assert.Equal("wh-approve/1", shown.GetProperty("rolloutId").GetString());
        Assert.Equal(0, shown.GetProperty("stageIndex").GetInt32());
        Assert.Equal(50, shown.GetProperty("nextWeight").GetInt32());
        Assert.Equal("pending", shown.GetProperty("state").GetString());
        Assert.Equal(25, (await WebhookSiloFixture.RolloutAsync(_api, service)).GetProperty("weight").GetInt32()); // a GET never acts

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/approvals/{token}", null)).StatusCode);
        Assert.Equal(25, (await WebhookSiloFixture.RolloutAsync(_api, service)).GetProperty("weight").GetInt32());

        var used = await operatorClient.PostAsync($"/api/approvals/{token}", null);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(operatorCaller, (await used.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usedBy").GetString());
        var promoted = await WebhookSiloFixture.RolloutAsync(_api, service);
        Assert.Equal(50, promoted.GetProperty("weight").GetInt32());
        Assert.Equal("progressing", promoted.GetProperty("status").GetString());

        var second = await operatorClient.PostAsync($"/api/approvals/{token}", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.StartsWith($"token: this approval link was used already, by {operatorCaller}", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/approvals/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).StatusCode);

        var audit = (await _api.GetFromJsonAsync<JsonElement>("/api/audit")).EnumerateArray()
            .Where(e => e.GetProperty("route").GetString() == "/api/approvals/{token}" && e.GetProperty("method").GetString() == "POST").ToArray();
        Assert.Equal([(operatorCaller, 409, "wh-approve"), (operatorCaller, 200, "wh-approve"), (viewerCaller, 403, null)],
            audit.Select(e => (e.GetProperty("caller").GetString()!, e.GetProperty("status").GetInt32(), e.GetProperty("service").GetString())));
        Assert.All(audit, e => Assert.Equal("/api/approvals/***", e.GetProperty("target").GetString()));
        Assert.DoesNotContain(token, await _api.GetStringAsync("/api/audit"));
    }
}
