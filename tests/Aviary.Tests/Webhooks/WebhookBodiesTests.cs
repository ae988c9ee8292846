using System.Text.Json;
using Aviary.Silo.Webhooks;
using Aviary.Webhooks;

namespace Aviary.Tests.Webhooks;

public sealed class WebhookBodiesTests
{
    private static readonly WebhookNotice Paused = WebhookBodies.WithLinks(new WebhookNotice
    {
        Id = "d1",
        Event = WebhookEvents.RolloutPaused,
        At = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero),
        Service = "shop",
        RolloutId = "shop/3",
        Version = "2.0.0",
        StableVersion = "1.0.0",
        Status = "paused",
        Stage = 1,
        Weight = 25,
        Message = "manual gate before 50 %: promote to continue",
        Figures = new WebhookFigures { Result = "healthy", CanaryErrorRate = 0.01, CanaryP95Ms = 80, CanaryCount = 400, StableErrorRate = 0.005, StableP95Ms = 70, StableCount = 1200 },
        ApprovalToken = "tok-not-for-receivers",
    }, "https://aviary.example.com/");

    [Fact]
    public void WithLinks_WritesConsoleAndApprovalLinks()
    {
        Assert.Equal("https://aviary.example.com/#/rollouts/shop/3", Paused.Link);
        Assert.Equal("https://aviary.example.com/#/approve/tok-not-for-receivers", Paused.ApprovalLink);
        Assert.Equal("https://aviary.example.com/#/workflows/nightly-1", WebhookBodies.WithLinks(new WebhookNotice { Run = "nightly-1" }, "https://aviary.example.com").Link);
    }

    [Fact]
    public void Json_IsThePayload_WithoutTheTokenField()
    {
        using var json = JsonDocument.Parse(WebhookBodies.Render(Paused, WebhookFormat.Json));
        var root = json.RootElement;

        Assert.Equal("d1", root.GetProperty("id").GetString());
        Assert.Equal("rollout.paused", root.GetProperty("event").GetString());
        Assert.Equal("shop", root.GetProperty("service").GetString());
        Assert.Equal("shop/3", root.GetProperty("rolloutId").GetString());
        Assert.Equal("1.0.0", root.GetProperty("stableVersion").GetString());
        Assert.Equal(25, root.GetProperty("weight").GetInt32());
        Assert.Equal(400, root.GetProperty("figures").GetProperty("canaryCount").GetInt64());
        Assert.Equal("https://aviary.example.com/#/rollouts/shop/3", root.GetProperty("link").GetString());
        Assert.False(root.TryGetProperty("approvalToken", out _));
        Assert.False(root.TryGetProperty("run", out _));
        Assert.False(root.TryGetProperty("consolePath", out _));
    }

    [Fact]
    public void Slack_HasTextAndSectionBlocksWithBothLinks()
    {
        using var json = JsonDocument.Parse(WebhookBodies.Render(Paused, WebhookFormat.Slack));
        var root = json.RootElement;
        var blocks = root.GetProperty("blocks");

        Assert.StartsWith("rollout.paused: shop 2.0.0 (shop/3) at 25 %", root.GetProperty("text").GetString());
        Assert.Equal(2, blocks.GetArrayLength());
        Assert.All(blocks.EnumerateArray(), b => Assert.Equal("section", b.GetProperty("type").GetString()));
        Assert.Contains("<https://aviary.example.com/#/rollouts/shop/3|Open in Aviary>", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("<https://aviary.example.com/#/approve/tok-not-for-receivers|Approve the next stage>", blocks[1].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public void Teams_IsAMessageWithAnAdaptiveCard()
    {
        using var json = JsonDocument.Parse(WebhookBodies.Render(Paused, WebhookFormat.Teams));
        var root = json.RootElement;
        var attachment = root.GetProperty("attachments")[0];
        var card = attachment.GetProperty("content");

        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("manual gate before 50 %: promote to continue", card.GetProperty("body")[1].GetProperty("text").GetString());
        Assert.Equal("https://aviary.example.com/#/rollouts/shop/3", card.GetProperty("actions")[0].GetProperty("url").GetString());
        Assert.Equal("https://aviary.example.com/#/approve/tok-not-for-receivers", card.GetProperty("actions")[1].GetProperty("url").GetString());
    }
}
