using Aviary.Tests.EndToEnd;

namespace Aviary.Tests.Webhooks;

/// <summary>A global hook hears of workflow runs: completed, failed, and tasks dead-lettered, with links to the run's page.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class WorkflowWebhookTests(WebhookSiloFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    [Fact]
    public async Task RunEnds_CompletedFailedAndDeadLettered_Arrive()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-runs", receiver.Url, null, ["workflow.completed", "workflow.failed", "workflow.dead-lettered"]);

        (await _api.PostAsync("/api/workflows/wh-run-ok", ApiBodies.Yaml("name: fine\ntasks:\n  - id: a\n    agent: noop\n  - id: b\n    agent: noop\n    dependsOn: [a]\n"))).EnsureSuccessStatusCode();
        (await _api.PostAsync("/api/workflows/wh-run-bad", ApiBodies.Yaml(
            "name: broken\ntasks:\n  - id: flaky\n    agent: simulated\n    input: { failAttempts: always }\n    retry: { maxAttempts: 1 }\n  - id: after\n    agent: noop\n    dependsOn: [flaky]\n"))).EnsureSuccessStatusCode();

        var completed = (await receiver.WaitForAsync(r => r.Event == "workflow.completed", "workflow.completed of wh-run-ok")).Json;
        var failed = (await receiver.WaitForAsync(r => r.Event == "workflow.failed", "workflow.failed of wh-run-bad")).Json;
        var dead = (await receiver.WaitForAsync(r => r.Event == "workflow.dead-lettered", "workflow.dead-lettered of wh-run-bad")).Json;

        Assert.Equal("wh-run-ok", completed.GetProperty("run").GetString());
        Assert.Equal("workflow fine (wh-run-ok): 2 task(s) succeeded", completed.GetProperty("message").GetString());
        Assert.Equal($"{WebhookSiloFixture.PublicUrl}/#/workflows/wh-run-ok", completed.GetProperty("link").GetString());
        Assert.Equal("workflow broken (wh-run-bad) failed: 1 task(s) dead-lettered, 1 blocked", failed.GetProperty("message").GetString());
        Assert.Equal("wh-run-bad", dead.GetProperty("run").GetString());
        Assert.StartsWith("run wh-run-bad: 1 task(s) dead-lettered after their last attempt: flaky (Simulated: simulated failure of attempt 1)", dead.GetProperty("message").GetString());
        Assert.False(completed.TryGetProperty("service", out _));
    }
}
