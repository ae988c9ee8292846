using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

[GenerateSerializer, Alias("aviary.WebhookRegistryState")]
public sealed class WebhookRegistryState
{
    [Id(0)] public List<WebhookSpec> Hooks { get; set; } = [];
}
