using Aviary.Webhooks;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Webhooks;

/// <summary>How grains hand an event to the webhooks: one call to the registry, bounded in time, never failing the caller.</summary>
public static partial class WebhookPublishing
{
    /// <summary>Storing an event in the outboxes is quick; a publisher never waits longer on it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task TryPublishAsync(IGrainFactory grains, WebhookNotice notice, ILogger? logger)
    {
        try
        {
            await grains.GetGrain<IWebhookRegistryGrain>(IWebhookRegistryGrain.Key).PublishAsync(notice).WaitAsync(Timeout);
        }
        catch (Exception ex)
        {
            if (logger is not null)
                LogPublishFailed(logger, ex, notice.RolloutId ?? notice.Run ?? "", notice.Event);
        }
    }

    /// <summary>A run's end: <c>workflow.completed</c> or <c>workflow.failed</c> (a cancelled run has no event).</summary>
    public static WebhookNotice? RunEnded(string runId, string name, WorkflowStatus status, IReadOnlyCollection<TaskRun> tasks, DateTimeOffset at)
    {
        var evt = status switch
        {
            WorkflowStatus.Succeeded => WebhookEvents.WorkflowCompleted,
            WorkflowStatus.Failed => WebhookEvents.WorkflowFailed,
            _ => null,
        };
        if (evt is null)
            return null;
        var dead = tasks.Count(t => t.Status == TaskRunStatus.DeadLettered);
        var blocked = tasks.Count(t => t.Status == TaskRunStatus.Blocked);
        return new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = evt,
            At = at,
            Run = runId,
            Status = status == WorkflowStatus.Succeeded ? "succeeded" : "failed",
            Message = status == WorkflowStatus.Succeeded
                ? $"workflow {name} ({runId}): {tasks.Count} task(s) succeeded"
                : $"workflow {name} ({runId}) failed: {dead} task(s) dead-lettered, {blocked} blocked",
        };
    }

    /// <summary>Tasks of one run that failed their last attempt.</summary>
    public static WebhookNotice DeadLettered(string runId, IReadOnlyCollection<DeadLetter> letters, DateTimeOffset at)
    {
        var first = letters.First();
        var names = string.Join(", ", letters.Take(10).Select(l => l.TaskId)) + (letters.Count > 10 ? $" and {letters.Count - 10} more" : "");
        return new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = WebhookEvents.WorkflowDeadLettered,
            At = at,
            Run = runId,
            Status = "dead-lettered",
            Message = $"run {runId}: {letters.Count} task(s) dead-lettered after their last attempt: {names} ({first.ErrorKind}: {Shorten(first.Error)})",
        };
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
