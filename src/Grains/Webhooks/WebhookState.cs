using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>A webhook's spec, its undelivered events (oldest first) and its last deliveries (oldest first).</summary>
[GenerateSerializer, Alias("aviary.WebhookState")]
public sealed class WebhookState
{
    [Id(0)] public WebhookSpec? Spec { get; set; }
    [Id(1)] public List<WebhookNotice> Outbox { get; set; } = [];
    [Id(2)] public WebhookDelivery[] Log { get; set; } = [];
}
