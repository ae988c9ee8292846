using System.Text.Json;
using Aviary.Silo.Webhooks;

namespace Aviary.Tests.Webhooks;

/// <summary>The real <c>aviary</c> console's <c>webhook</c> commands against a real silo and a real receiver.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class WebhookCliTests(WebhookSiloFixture silo)
{
    private static readonly TimeSpan Command = TimeSpan.FromSeconds(60);

    private Task<(int ExitCode, string Stdout, string Stderr)> AviaryAsync(params string[] args) =>
        ProcessRun.RunAsync(RepoPaths.ClientDll, Command, [.. args, "--server", silo.Silo.Http.ToString(), "--token", silo.Silo.AdminKey]);

    [Fact]
    public async Task AddTestDeliveriesListRemove_ThroughTheConsole()
    {
        await using var receiver = await HookReceiver.StartAsync();

        var add = await AviaryAsync("webhook", "add", "wh-cli", "--url", receiver.Url, "--events", "rollout.stage,rollout.paused", "--service", "wh-cli", "--timeout", "2s", "--output", "json");
        Assert.True(add.ExitCode == 0, add.Stderr);
        var secret = JsonDocument.Parse(add.Stdout).RootElement.GetProperty("secret").GetString()!;

        var test = await AviaryAsync("webhook", "test", "wh-cli");
        Assert.True(test.ExitCode == 0, test.Stderr);
        var received = await receiver.WaitForAsync(r => r.Event == "webhook.test", "the console's test event");
        Assert.True(WebhookSigner.Verify(secret, received.Body, received.Signature));

        var deliveries = await Poll.UntilAsync(async () => await AviaryAsync("webhook", "deliveries", "wh-cli", "--output", "json"),
            r => r.ExitCode == 0 && JsonDocument.Parse(r.Stdout).RootElement.GetArrayLength() == 1, "one delivery in the console's log");
        var entry = JsonDocument.Parse(deliveries.Stdout).RootElement[0];
        Assert.True(entry.GetProperty("delivered").GetBoolean());
        Assert.Equal(received.Delivery, entry.GetProperty("id").GetString());

        var show = await AviaryAsync("webhook", "show", "wh-cli");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("rollout.paused, rollout.stage", show.Stdout);
        Assert.DoesNotContain(secret, show.Stdout);
        var list = await AviaryAsync("webhook", "list", "--output", "json");
        Assert.Contains("\"id\":\"wh-cli\"", list.Stdout);

        var remove = await AviaryAsync("webhook", "remove", "wh-cli");
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        var gone = await AviaryAsync("webhook", "show", "wh-cli");
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("error: id: no webhook 'wh-cli'", gone.Stderr.Trim());
    }

    [Theory]
    [InlineData(new[] { "webhook", "add", "x", "--url", "ftp://h/", "--events", "rollout.stage" }, "error: url: must be an absolute http or https URL (got 'ftp://h/')")]
    [InlineData(new[] { "webhook", "add", "x", "--url", "http://h/", "--events", "rollout.bogus" }, "error: events[0]: must be one of rollout.starting, rollout.stage, rollout.confirm-promotion, rollout.paused, rollout.rolled-back, rollout.succeeded, rollout.aborted, workflow.completed, workflow.failed, workflow.dead-lettered, model.drift, model.retraining, model.retrain-failed, model.not-better, model.rollout, model.promoted, model.rolled-back (got 'rollout.bogus')")]
    [InlineData(new[] { "webhook", "add", "x", "--url", "http://h/", "--events", "rollout.stage", "--format", "xml" }, "error: format: must be json, slack or teams (got 'xml')")]
    public async Task BadInput_Exit1_NamingFieldAndRule(string[] args, string expected)
    {
        var run = await AviaryAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Stderr.Trim());
    }
}
