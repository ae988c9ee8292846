using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>No sender (a silo without the HTTP host, as in grain tests): events wait in their outbox.</summary>
public sealed class NoWebhookDispatcher : IWebhookDispatcher
{
    public void Dispatch(WebhookSpec hook, WebhookNotice notice)
    {
    }
}
