using Orleans.Concurrency;

namespace Aviary.Webhooks;

/// <summary>
/// The cluster's webhooks (at most <see cref="MaxHooks"/>), one grain: which hook hears of what.
/// Publishers make one call here per event; it hands the event to each matching hook's outbox.
/// </summary>
[Alias("aviary.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";
    public const int MaxHooks = 100;

    /// <summary>Adds a hook (its secret already stored by the caller); a second hook of the same id is a conflict.</summary>
    [Alias("Create")]
    Task<WebhookView> CreateAsync(WebhookSpec spec);

    [Alias("List"), ReadOnly]
    Task<WebhookView[]> ListAsync();

    /// <summary>Removes the hook and drops its undelivered events; unknown: not found.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string id);

    /// <summary>Stores <paramref name="notice"/> in the outbox of every hook subscribed to its event, then returns; never waits on a receiver.</summary>
    [Alias("Publish"), ReadOnly]
    Task PublishAsync(WebhookNotice notice);

    /// <summary>The hooks whose answer to gating event <paramref name="name"/> for <paramref name="service"/> is awaited.</summary>
    [Alias("Gates"), ReadOnly]
    Task<WebhookSpec[]> GatesAsync(string name, string service);
}
