using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>
/// Asks the gating hooks of an event (<see cref="WebhookEvents.IsGating"/>) and waits for their
/// answers, each within its hook's timeout. The HTTP calls live in the silo; the decider gets the answer as data.
/// </summary>
public interface IWebhookGate
{
    Task<GateAnswer> AskAsync(WebhookNotice notice, CancellationToken cancellationToken = default);
}
