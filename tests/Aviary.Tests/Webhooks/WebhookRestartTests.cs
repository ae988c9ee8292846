using System.Net.Http.Json;

namespace Aviary.Tests.Webhooks;

/// <summary>An event stored in a hook's outbox survives the silo being killed (SIGKILL) and is delivered after it restarts.</summary>
public sealed class WebhookRestartTests
{
    [Fact]
    public async Task PendingDelivery_SiloKilled_DeliveredAfterRestart()
    {
        await using var receiver = await HookReceiver.StartAsync();
        receiver.NeverAnswer();
        var silo = await EmbeddedSilo.StartAsync(WebhookSiloFixture.Settings);
        string data;
        try
        {
            var api = silo.Api();
            // Ten attempts of ten seconds: the delivery is still in flight when the silo dies.
            await WebhookSiloFixture.AddHookAsync(api, "wh-restart", receiver.Url, null, ["workflow.failed"], timeout: "00:00:10", maxAttempts: 10);
            (await api.PostAsync("/api/webhooks/wh-restart/test", null)).EnsureSuccessStatusCode();
            await receiver.WaitForAsync(r => r.Event == "webhook.test", "the first attempt, before the kill");
            var pending = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/webhooks/wh-restart");
            Assert.Equal(1, pending.GetProperty("pending").GetInt32());
        }
        finally
        {
            silo.Process.Signal(kill: true);
            data = silo.DataDirectory;
            await silo.StopKeepingDataAsync();
        }
        var first = receiver.All.Single();
        receiver.AnswerWith(200);

        await using var restarted = await EmbeddedSilo.StartInAsync(data, WebhookSiloFixture.Settings);
        var again = await receiver.WaitForAsync(r => r.Delivery == first.Delivery && !ReferenceEquals(r, first), "the same delivery, sent again after the restart");

        Assert.Equal(first.Body, again.Body);
        var log = await Poll.UntilAsync(() => WebhookSiloFixture.DeliveriesAsync(restarted.Api(), "wh-restart"), l => l.Length == 1, "the delivery logged after the restart");
        Assert.True(log[0].GetProperty("delivered").GetBoolean(), log[0].ToString());
        Assert.Equal(first.Delivery, log[0].GetProperty("id").GetString());
    }
}
