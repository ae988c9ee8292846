using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aviary.Silo.Webhooks;

namespace Aviary.Tests.Webhooks;

/// <summary>Deliveries from a real silo to real receivers: signed, linked, retried, logged; a bad receiver never slows a rollout.</summary>
[Collection(WebhookSiloCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookSiloFixture silo)
{
    private readonly HttpClient _api = silo.Api();

    [Fact]
    public async Task RolloutEvents_ArriveSignedVerifiable_WithConsoleLinks_AndAreLogged()
    {
        const string service = "wh-signed";
        await using var receiver = await HookReceiver.StartAsync();
        var secret = await WebhookSiloFixture.AddHookAsync(_api, "wh-signed", receiver.Url, service, ["rollout.stage", "rollout.succeeded"]);
        await WebhookSiloFixture.StableAsync(_api, service);

        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy)).EnsureSuccessStatusCode();
        await using (new SampleFeed(_api, service, "v2"))
            await receiver.WaitForAsync(r => r.Event == "rollout.succeeded", "rollout.succeeded of wh-signed/1");
        // Deliveries of one hook run side by side: the stage event may come after the success.
        await receiver.WaitForAsync(r => r.Event == "rollout.stage" && r.Json.GetProperty("weight").GetInt32() == 100, "rollout.stage at 100 % of wh-signed/1");

        var all = receiver.All;
        Assert.Equal(["rollout.stage@100", "rollout.stage@50", "rollout.succeeded@100"],
            all.Select(r => $"{r.Event}@{r.Json.GetProperty("weight").GetInt32()}").Order(StringComparer.Ordinal));
        foreach (var r in all)
        {
            Assert.True(WebhookSigner.Verify(secret, r.Body, r.Signature), $"signature of {r}");
            Assert.Equal(r.Json.GetProperty("id").GetString(), r.Delivery);
            Assert.True(long.TryParse(r.Timestamp, out var unix) && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - unix) < 120, $"timestamp {r.Timestamp}");
            Assert.Equal("wh-signed/1", r.Json.GetProperty("rolloutId").GetString());
            Assert.Equal("v2", r.Json.GetProperty("version").GetString());
            Assert.Equal("v1", r.Json.GetProperty("stableVersion").GetString());
            Assert.Equal($"{WebhookSiloFixture.PublicUrl}/#/rollouts/wh-signed/1", r.Json.GetProperty("link").GetString());
        }
        var succeeded = all.Single(r => r.Event == "rollout.succeeded").Json;
        Assert.Equal("succeeded", succeeded.GetProperty("status").GetString());
        Assert.True(succeeded.GetProperty("figures").GetProperty("canaryCount").GetInt64() >= 5, succeeded.ToString());

        var log = await Poll.UntilAsync(() => WebhookSiloFixture.DeliveriesAsync(_api, "wh-signed"), l => l.Length == 3, "delivery log of wh-signed: 3 entries");
        Assert.All(log, d =>
        {
            Assert.True(d.GetProperty("delivered").GetBoolean(), d.ToString());
            Assert.Equal(200, d.GetProperty("statusCode").GetInt32());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
        });
    }

    [Fact]
    public async Task Receiver500_RetriedToMaxAttempts_LoggedFailed_WhileRolloutAdvancesOnTime()
    {
        const string service = "wh-500";
        await using var receiver = await HookReceiver.StartAsync();
        receiver.AnswerWith(500, "boom");
        await WebhookSiloFixture.AddHookAsync(_api, "wh-500", receiver.Url, service, ["rollout.stage", "rollout.succeeded"], maxAttempts: 3);
        await WebhookSiloFixture.StableAsync(_api, service);

        var clock = Stopwatch.StartNew();
        (await _api.PostAsJsonAsync($"/api/deployments/{service}/versions/v2", WebhookSiloFixture.QuickPolicy)).EnsureSuccessStatusCode();
        await using (new SampleFeed(_api, service, "v2"))
            await WebhookSiloFixture.UntilStatusAsync(_api, service, "succeeded", "despite a failing receiver");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the rollout took {clock.Elapsed} (one 300 ms check is due)");

        var log = await Poll.UntilAsync(() => WebhookSiloFixture.DeliveriesAsync(_api, "wh-500"), l => l.Length == 3, "delivery log of wh-500: 3 entries");
        Assert.All(log, d =>
        {
            Assert.False(d.GetProperty("delivered").GetBoolean(), d.ToString());
            Assert.Equal(500, d.GetProperty("statusCode").GetInt32());
            Assert.Equal(3, d.GetProperty("attempts").GetInt32());
            Assert.Equal("answered 500: boom", d.GetProperty("error").GetString());
        });
        Assert.All(receiver.All.GroupBy(r => r.Delivery), g => Assert.Equal(3, g.Count()));
        var view = await _api.GetFromJsonAsync<JsonElement>("/api/webhooks/wh-500");
        Assert.Equal(0, view.GetProperty("pending").GetInt32());
        Assert.Matches(@"aviary_webhook_deliveries(_total)?\{outcome=""failed""\} [3-9]", await _api.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task ReceiverNeverAnswering_TimesOutEachAttempt_LoggedFailed()
    {
        await using var receiver = await HookReceiver.StartAsync();
        receiver.NeverAnswer();
        await WebhookSiloFixture.AddHookAsync(_api, "wh-slow", receiver.Url, "wh-slow", ["rollout.stage"], timeout: "00:00:00.200", maxAttempts: 2);

        var test = await _api.PostAsync("/api/webhooks/wh-slow/test", null);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);

        var log = await Poll.UntilAsync(() => WebhookSiloFixture.DeliveriesAsync(_api, "wh-slow"), l => l.Length == 1, "delivery log of wh-slow: 1 entry");
        var entry = log[0];
        Assert.False(entry.GetProperty("delivered").GetBoolean());
        Assert.Equal("webhook.test", entry.GetProperty("event").GetString());
        Assert.Equal(2, entry.GetProperty("attempts").GetInt32());
        Assert.Equal("no answer in 0.2 s", entry.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("statusCode").ValueKind);
        Assert.Equal(2, receiver.All.Count(r => r.Event == "webhook.test"));
    }

    [Theory]
    [InlineData("slack")]
    [InlineData("teams")]
    public async Task ChatFormats_AreParsedByTheReceiver_AndSigned(string format)
    {
        var id = "wh-" + format;
        await using var receiver = await HookReceiver.StartAsync();
        var secret = await WebhookSiloFixture.AddHookAsync(_api, id, receiver.Url, null, ["rollout.paused"], format);

        (await _api.PostAsync($"/api/webhooks/{id}/test", null)).EnsureSuccessStatusCode();
        var r = await receiver.WaitForAsync(x => x.Event == "webhook.test", $"{format} test event");

        Assert.True(WebhookSigner.Verify(secret, r.Body, r.Signature));
        var body = r.Json;
        if (format == "slack")
        {
            Assert.Equal("webhook.test: a test event for webhook 'wh-slack'", body.GetProperty("text").GetString());
            Assert.Equal("section", body.GetProperty("blocks")[0].GetProperty("type").GetString());
            Assert.Contains($"<{WebhookSiloFixture.PublicUrl}/|Open in Aviary>", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        }
        else
        {
            Assert.Equal("message", body.GetProperty("type").GetString());
            var attachment = body.GetProperty("attachments")[0];
            Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
            Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
            Assert.Equal("a test event for webhook 'wh-teams'", attachment.GetProperty("content").GetProperty("body")[1].GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task Crud_SecretShownOnce_BadInputNamesTheField_ViewerCannotRead()
    {
        var created = await _api.PostAsJsonAsync("/api/webhooks", new { id = "wh-crud", url = "http://127.0.0.1:9/hook", events = new[] { "workflow.failed" }, secret = "a-given-secret-of-enough-length" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("a-given-secret-of-enough-length", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());

        var shown = await _api.GetStringAsync("/api/webhooks/wh-crud");
        Assert.DoesNotContain("a-given-secret", shown);
        Assert.DoesNotContain("a-given-secret", await _api.GetStringAsync("/api/webhooks"));
        Assert.Contains("\"url\":\"http://127.0.0.1:9/hook\"", shown);

        var again = await _api.PostAsJsonAsync("/api/webhooks", new { id = "wh-crud", url = "http://127.0.0.1:9/other", events = new[] { "workflow.failed" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var bad = await _api.PostAsJsonAsync("/api/webhooks", new { id = "wh-bad", url = "not a url", events = new[] { "rollout.stage" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("url", await EndToEnd.ApiBodies.FieldAsync(bad));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/webhooks/wh-bad")).StatusCode);

        var key = await _api.PostAsJsonAsync("/api/keys", new { name = "wh-viewer", role = "viewer" });
        var viewer = silo.Api((await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/webhooks")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync("/api/webhooks/wh-crud")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/webhooks/wh-crud")).StatusCode);
        Assert.DoesNotContain("webhook.wh-crud", await _api.GetStringAsync("/api/secrets"));
    }
}
