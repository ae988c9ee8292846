using Aviary.Grains.Webhooks;
using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowGrain
{
    /// <summary>Tells the webhooks the run ended, once its end is stored.</summary>
    private Task NotifyEndedAsync(WorkflowStatus status, DateTimeOffset now) =>
        WebhookPublishing.RunEnded(RunId, planStore.State.Plan?.Name ?? "", status, Scheduler.Tasks, now) is { } notice
            ? WebhookPublishing.TryPublishAsync(GrainFactory, notice, logger)
            : Task.CompletedTask;
}
