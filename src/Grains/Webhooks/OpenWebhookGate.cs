using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>No gating hooks can be asked (a silo without the HTTP host): every gate passes.</summary>
public sealed class OpenWebhookGate : IWebhookGate
{
    public Task<GateAnswer> AskAsync(WebhookNotice notice, CancellationToken cancellationToken = default) => Task.FromResult(GateAnswer.Pass);
}
