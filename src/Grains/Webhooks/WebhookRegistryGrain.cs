using Aviary.Errors;
using Aviary.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aviary.Grains.Webhooks;

/// <summary>
/// The cluster's webhooks (see <see cref="IWebhookRegistryGrain"/>). Its reminder wakes every hook
/// each period, so events stored before a restart are sent again by whichever silo holds the hook.
/// </summary>
public sealed partial class WebhookRegistryGrain(
    [PersistentState("webhooks", Names.Storage)] IPersistentState<WebhookRegistryState> store,
    IOptions<GrainTimingOptions> timing,
    ILogger<WebhookRegistryGrain> logger) : Grain, IWebhookRegistryGrain, IRemindable
{
    private const string ReminderName = "webhooks";

    async Task<WebhookView> IWebhookRegistryGrain.CreateAsync(WebhookSpec spec)
    {
        spec = WebhookSpecValidator.Validate(spec);
        var hooks = store.State.Hooks;
        if (hooks.Any(h => h.Id == spec.Id))
            throw new AviaryConflictException("id", $"a webhook '{spec.Id}' exists: remove it first");
        if (hooks.Count >= IWebhookRegistryGrain.MaxHooks)
            throw new AviaryConflictException("webhooks", $"at most {IWebhookRegistryGrain.MaxHooks} webhooks: remove some first");
        // The hook's own grain first: a hook listed here always has its spec there.
        await GrainFactory.GetGrain<IWebhookGrain>(spec.Id).ConfigureAsync(spec);
        await store.WriteOrRevertAsync(new WebhookRegistryState { Hooks = [.. hooks, spec] });
        await this.RegisterOrUpdateReminder(ReminderName, timing.Value.ReminderPeriod, timing.Value.ReminderPeriod);
        return new WebhookView { Spec = spec };
    }

    async Task<WebhookView[]> IWebhookRegistryGrain.ListAsync()
    {
        var views = await Task.WhenAll(store.State.Hooks.Select(h => GrainFactory.GetGrain<IWebhookGrain>(h.Id).GetAsync()));
        return [.. views.OfType<WebhookView>().OrderBy(v => v.Spec.Id, StringComparer.Ordinal)];
    }

    async Task IWebhookRegistryGrain.RemoveAsync(string id)
    {
        Identifiers.ValidateName(id, "id");
        if (!store.State.Hooks.Any(h => h.Id == id))
            throw new AviaryNotFoundException("id", $"no webhook '{id}'");
        await store.WriteOrRevertAsync(new WebhookRegistryState { Hooks = store.State.Hooks.Where(h => h.Id != id).ToList() });
        await GrainFactory.GetGrain<IWebhookGrain>(id).DeleteAsync();
    }

    async Task IWebhookRegistryGrain.PublishAsync(WebhookNotice notice)
    {
        var matching = store.State.Hooks.Where(h => h.Matches(notice.Event, notice.Service)).ToArray();
        if (matching.Length == 0)
            return;
        var stored = matching.Select(async hook =>
        {
            try
            {
                await GrainFactory.GetGrain<IWebhookGrain>(hook.Id).EnqueueAsync(notice);
            }
            catch (Exception ex)
            {
                // One hook's storage trouble must not keep the event from the others.
                LogEnqueueFailed(logger, ex, hook.Id, notice.Event);
            }
        });
        await Task.WhenAll(stored);
    }

    Task<WebhookSpec[]> IWebhookRegistryGrain.GatesAsync(string name, string service) =>
        Task.FromResult(WebhookEvents.IsGating(name) ? store.State.Hooks.Where(h => h.Matches(name, service)).ToArray() : []);

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        foreach (var hook in store.State.Hooks)
            GrainFactory.GetGrain<IWebhookGrain>(hook.Id).WakeAsync().Ignore();
        return Task.CompletedTask;
    }
}
