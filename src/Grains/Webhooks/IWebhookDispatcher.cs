using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>
/// The silo-side sender a webhook grain hands stored events to. It must return at once (the grain
/// never waits on the network) and report each outcome back with <see cref="IWebhookGrain.ReportAsync"/>.
/// </summary>
public interface IWebhookDispatcher
{
    void Dispatch(WebhookSpec hook, WebhookNotice notice);
}
