using Aviary.Errors;
using Aviary.Tests.Cluster;
using Aviary.Webhooks;

namespace Aviary.Tests.Webhooks;

/// <summary>
/// The webhook grains in a test cluster without a sender (events wait in their outboxes): what
/// matches, what is kept, the bounds, and reports.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookGrainTests(ClusterFixture fixture)
{
    private IWebhookRegistryGrain Registry => fixture.Client.GetGrain<IWebhookRegistryGrain>(IWebhookRegistryGrain.Key);

    private static WebhookSpec Hook(string id, string? service, params string[] events) =>
        new() { Id = id, Url = "http://127.0.0.1:9/hook", Service = service, Events = events };

    private static WebhookNotice Notice(string id, string name, string? service) => new() { Id = id, Event = name, Service = service, Message = id };

    [Fact]
    public async Task Publish_ReachesOnlyMatchingHooks_AndWaitsInTheirOutboxes()
    {
        await Registry.CreateAsync(Hook("g-shop", "g-shop", WebhookEvents.RolloutStage));
        await Registry.CreateAsync(Hook("g-all", null, WebhookEvents.RolloutStage, WebhookEvents.WorkflowFailed));
        await Registry.CreateAsync(Hook("g-other", "g-other", WebhookEvents.RolloutStage));

        await Registry.PublishAsync(Notice("n1", WebhookEvents.RolloutStage, "g-shop"));
        await Registry.PublishAsync(Notice("n2", WebhookEvents.WorkflowFailed, null));
        await Registry.PublishAsync(Notice("n3", WebhookEvents.RolloutPaused, "g-shop"));

        Assert.Equal(1, (await fixture.Client.GetGrain<IWebhookGrain>("g-shop").GetAsync())!.Pending);
        Assert.Equal(2, (await fixture.Client.GetGrain<IWebhookGrain>("g-all").GetAsync())!.Pending);
        Assert.Equal(0, (await fixture.Client.GetGrain<IWebhookGrain>("g-other").GetAsync())!.Pending);
        Assert.Empty(await Registry.GatesAsync(WebhookEvents.RolloutStage, "g-shop")); // not a gating event
        await Registry.CreateAsync(Hook("g-gate", "g-shop", WebhookEvents.RolloutConfirmPromotion));
        Assert.Equal(["g-gate"], (await Registry.GatesAsync(WebhookEvents.RolloutConfirmPromotion, "g-shop")).Select(h => h.Id));
        Assert.Empty(await Registry.GatesAsync(WebhookEvents.RolloutConfirmPromotion, "g-other"));
        await Registry.RemoveAsync("g-gate");

        foreach (var id in new[] { "g-shop", "g-all", "g-other" })
            await Registry.RemoveAsync(id);
        Assert.Null(await fixture.Client.GetGrain<IWebhookGrain>("g-all").GetAsync());
    }

    [Fact]
    public async Task Report_LogsTheOutcome_DropsTheEvent_AndASecondReportChangesNothing()
    {
        await Registry.CreateAsync(Hook("g-report", "g-report", WebhookEvents.RolloutStage));
        var hook = fixture.Client.GetGrain<IWebhookGrain>("g-report");
        await hook.EnqueueAsync(Notice("r1", WebhookEvents.RolloutStage, "g-report"));
        var outcome = new WebhookDelivery { Id = "r1", Event = WebhookEvents.RolloutStage, Delivered = true, StatusCode = 204, Attempts = 2, LatencyMs = 12 };

        await hook.ReportAsync(outcome);
        await hook.ReportAsync(outcome with { StatusCode = 500 });

        Assert.Equal(0, (await hook.GetAsync())!.Pending);
        Assert.Equal([outcome], await hook.DeliveriesAsync());
        await Registry.RemoveAsync("g-report");
    }

    [Fact]
    public async Task Outbox_Full_DropsTheEvent_AndSaysSoInTheLog()
    {
        await Registry.CreateAsync(Hook("g-full", "g-full", WebhookEvents.RolloutStage));
        var hook = fixture.Client.GetGrain<IWebhookGrain>("g-full");
        for (var i = 0; i < IWebhookGrain.MaxOutbox; i++)
            await hook.EnqueueAsync(Notice($"f{i}", WebhookEvents.RolloutStage, "g-full"));

        await hook.EnqueueAsync(Notice("one-too-many", WebhookEvents.RolloutStage, "g-full"));

        Assert.Equal(IWebhookGrain.MaxOutbox, (await hook.GetAsync())!.Pending);
        var dropped = Assert.Single(await hook.DeliveriesAsync());
        Assert.Equal("one-too-many", dropped.Id);
        Assert.False(dropped.Delivered);
        Assert.Equal("dropped: the outbox holds 1000 undelivered events (the receiver is down or slow)", dropped.Error);
        await Registry.RemoveAsync("g-full");
    }

    [Fact]
    public async Task Registry_SameIdTwice_IsAConflict_UnknownRemove_NotFound()
    {
        await Registry.CreateAsync(Hook("g-twice", null, WebhookEvents.WorkflowCompleted));

        var twice = await Assert.ThrowsAsync<AviaryConflictException>(() => Registry.CreateAsync(Hook("g-twice", null, WebhookEvents.WorkflowFailed)));
        var unknown = await Assert.ThrowsAsync<AviaryNotFoundException>(() => Registry.RemoveAsync("g-nobody"));

        Assert.Equal("id: a webhook 'g-twice' exists: remove it first", twice.Message);
        Assert.Equal("id: no webhook 'g-nobody'", unknown.Message);
        await Registry.RemoveAsync("g-twice");
    }

    [Fact]
    public async Task Registry_HoldsAtMost100Hooks()
    {
        var existing = (await Registry.ListAsync()).Length;
        var added = Enumerable.Range(0, IWebhookRegistryGrain.MaxHooks - existing).Select(i => $"g-bound-{i}").ToArray();
        foreach (var id in added)
            await Registry.CreateAsync(Hook(id, null, WebhookEvents.WorkflowCompleted));

        var full = await Assert.ThrowsAsync<AviaryConflictException>(() => Registry.CreateAsync(Hook("g-bound-extra", null, WebhookEvents.WorkflowCompleted)));

        Assert.Equal("webhooks: at most 100 webhooks: remove some first", full.Message);
        foreach (var id in added)
            await Registry.RemoveAsync(id);
    }
}
