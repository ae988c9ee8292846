using Orleans.Concurrency;

namespace Aviary.Webhooks;

/// <summary>
/// One webhook, keyed by its id: its spec, its outbox of events not yet delivered (stored before
/// any is sent) and the log of its last deliveries. Sending happens outside its turns (a silo-side
/// sender), which reports each outcome back.
/// </summary>
[Alias("aviary.IWebhookGrain")]
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>Events waiting, at most; past it an event is dropped and the drop logged.</summary>
    public const int MaxOutbox = 1_000;
    /// <summary>Deliveries the log keeps.</summary>
    public const int MaxLog = 100;

    [Alias("Configure")]
    Task ConfigureAsync(WebhookSpec spec);

    /// <summary>Forgets the hook: spec, outbox, log.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    [Alias("Get"), ReadOnly]
    Task<WebhookView?> GetAsync();

    /// <summary>Stores <paramref name="notice"/> in the outbox (or logs its drop when full), then hands it to the sender.</summary>
    [Alias("Enqueue")]
    Task EnqueueAsync(WebhookNotice notice);

    /// <summary>The sender's outcome for delivery <paramref name="outcome"/>.Id: logged, and the event leaves the outbox.</summary>
    [Alias("Report")]
    Task ReportAsync(WebhookDelivery outcome);

    /// <summary>Logs a call that had no outbox entry (a gating call, answered at once).</summary>
    [Alias("Record"), OneWay]
    Task RecordAsync(WebhookDelivery call);

    /// <summary>Newest first.</summary>
    [Alias("Deliveries"), ReadOnly]
    Task<WebhookDelivery[]> DeliveriesAsync();

    /// <summary>Hands every stored event not already with a sender to this silo's sender (after a restart).</summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();
}
