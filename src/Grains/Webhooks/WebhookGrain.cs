using Aviary.Webhooks;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Webhooks;

/// <summary>
/// One webhook (see <see cref="IWebhookGrain"/>): an event is stored in the outbox before the
/// silo's sender gets it, and leaves the outbox only when the sender reports how it ended. What is
/// in the outbox when the grain activates (after a restart) is handed to the sender again.
/// </summary>
public sealed partial class WebhookGrain(
    [PersistentState("webhook", Names.Storage)] IPersistentState<WebhookState> store,
    IWebhookDispatcher dispatcher,
    AviaryClock clock,
    ILogger<WebhookGrain> logger) : Grain, IWebhookGrain
{
    /// <summary>Deliveries with this activation's sender, and when they were handed over: not handed over twice.</summary>
    private readonly Dictionary<string, DateTimeOffset> _inFlight = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DispatchPending();
        return Task.CompletedTask;
    }

    async Task IWebhookGrain.ConfigureAsync(WebhookSpec spec) =>
        await store.WriteOrRevertAsync(new WebhookState { Spec = spec, Outbox = store.State.Outbox, Log = store.State.Log });

    async Task IWebhookGrain.DeleteAsync()
    {
        _inFlight.Clear();
        await store.ClearStateAsync();
        store.State = new WebhookState();
    }

    Task<WebhookView?> IWebhookGrain.GetAsync() =>
        Task.FromResult(store.State.Spec is { } spec
            ? new WebhookView { Spec = spec, Pending = store.State.Outbox.Count, LastDelivery = store.State.Log.LastOrDefault() }
            : null);

    async Task IWebhookGrain.EnqueueAsync(WebhookNotice notice)
    {
        if (store.State.Spec is not { } spec)
            return;
        if (store.State.Outbox.Count >= IWebhookGrain.MaxOutbox)
        {
            // Never silently: the drop is in the hook's delivery log.
            LogOverflow(logger, spec.Id, notice.Event, notice.Id);
            WebhookMeters.Delivery("dropped");
            await WriteAsync(store.State.Outbox, Logged(new WebhookDelivery
            {
                Id = notice.Id,
                Event = notice.Event,
                At = clock.Now,
                Error = $"dropped: the outbox holds {IWebhookGrain.MaxOutbox} undelivered events (the receiver is down or slow)",
            }));
            return;
        }
        await WriteAsync([.. store.State.Outbox, notice], store.State.Log);
        Dispatch(spec, notice);
    }

    async Task IWebhookGrain.ReportAsync(WebhookDelivery outcome)
    {
        _inFlight.Remove(outcome.Id);
        var index = store.State.Outbox.FindIndex(n => n.Id == outcome.Id);
        if (index < 0)
            return; // reported twice (sent again after a restart), or the hook was removed meanwhile
        var outbox = store.State.Outbox.ToList();
        outbox.RemoveAt(index);
        await WriteAsync(outbox, Logged(outcome));
        WebhookMeters.Delivery(outcome.Delivered ? "delivered" : "failed");
        if (!outcome.Delivered)
            LogGaveUp(logger, store.State.Spec?.Id ?? "", outcome.Event, outcome.Id, outcome.Attempts, outcome.StatusCode, outcome.Error);
    }

    async Task IWebhookGrain.RecordAsync(WebhookDelivery call)
    {
        WebhookMeters.Gate(call.Delivered ? "passed" : "refused");
        if (store.State.Spec is not null)
            await WriteAsync(store.State.Outbox, Logged(call));
    }

    Task<WebhookDelivery[]> IWebhookGrain.DeliveriesAsync() => Task.FromResult(store.State.Log.Reverse().ToArray());

    Task IWebhookGrain.WakeAsync()
    {
        DispatchPending();
        return Task.CompletedTask;
    }

    private void DispatchPending()
    {
        if (store.State.Spec is not { } spec)
            return;
        // A delivery whose outcome never came back (its report was lost) is handed over again once
        // every attempt it could have made is surely over: all timeouts, and the longest backoffs.
        var lost = clock.Now - spec.MaxAttempts * (spec.Timeout + TimeSpan.FromMinutes(1));
        foreach (var notice in store.State.Outbox)
        {
            if (_inFlight.TryGetValue(notice.Id, out var since) && since < lost)
                _inFlight.Remove(notice.Id);
            Dispatch(spec, notice);
        }
    }

    private void Dispatch(WebhookSpec spec, WebhookNotice notice)
    {
        if (_inFlight.TryAdd(notice.Id, clock.Now))
            dispatcher.Dispatch(spec, notice);
    }

    private WebhookDelivery[] Logged(WebhookDelivery delivery) => BoundedHistory.Append(store.State.Log, delivery, IWebhookGrain.MaxLog);

    private Task WriteAsync(List<WebhookNotice> outbox, WebhookDelivery[] log) =>
        store.WriteOrRevertAsync(new WebhookState { Spec = store.State.Spec, Outbox = outbox, Log = log });
}
