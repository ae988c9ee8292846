using Aviary.Models;
using Aviary.Webhooks;

namespace Aviary.Grains.Models;

/// <summary>A model monitor's action as webhooks receive it; service-scoped hooks of the model's service get it.</summary>
public static class ModelNotices
{
    public static WebhookNotice Of(ModelEvent evt, string service) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Event = EventOf(evt.Kind),
        At = evt.At,
        Service = service,
        Version = evt.Version,
        Status = evt.Kind.ToString(),
        Message = $"model {evt.Model}: {evt.Message}",
    };

    public static string EventOf(ModelEventKind kind) => kind switch
    {
        ModelEventKind.DriftDetected => WebhookEvents.ModelDrift,
        ModelEventKind.RetrainStarted => WebhookEvents.ModelRetraining,
        ModelEventKind.RetrainFailed => WebhookEvents.ModelRetrainFailed,
        ModelEventKind.RetrainNotBetter => WebhookEvents.ModelNotBetter,
        ModelEventKind.RolloutStarted => WebhookEvents.ModelRollout,
        ModelEventKind.Promoted => WebhookEvents.ModelPromoted,
        ModelEventKind.RolledBack => WebhookEvents.ModelRolledBack,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an automatic action"),
    };
}
