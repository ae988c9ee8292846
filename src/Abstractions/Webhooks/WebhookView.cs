namespace Aviary.Webhooks;

/// <summary>A webhook as the API shows it: its spec, what waits in its outbox, and its last delivery. Never its secret.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WebhookView")]
public sealed record WebhookView
{
    [Id(0)] public WebhookSpec Spec { get; init; } = new();
    [Id(1)] public int Pending { get; init; }
    [Id(2)] public WebhookDelivery? LastDelivery { get; init; }
}
