namespace Aviary.Grains.Workflows;

public enum SchedulerEventKind
{
    Queued,
    Started,
    Succeeded,
    Failed,
    RetryScheduled,
    DeadLettered,
    Blocked,
    Cancelled,
    Requeued,
    WorkflowCompleted,
}
