namespace Aviary.Workflows;

[GenerateSerializer, Alias("aviary.TaskRunStatus")]
public enum TaskRunStatus
{
    /// <summary>Waiting for dependencies.</summary>
    Pending = 0,
    /// <summary>Dependencies done; waiting for an agent.</summary>
    Ready = 1,
    Running = 2,
    /// <summary>Failed; the next attempt is due at <see cref="TaskRun.NextAttemptAt"/>.</summary>
    RetryWaiting = 3,
    Succeeded = 4,
    /// <summary>Failed its last attempt (or a non-retryable error): in the dead-letter queue.</summary>
    DeadLettered = 5,
    /// <summary>Something it depends on was dead-lettered.</summary>
    Blocked = 6,
    Cancelled = 7,
}

public static class TaskRunStatusExtensions
{
    public static bool IsFinal(this TaskRunStatus status) =>
        status is TaskRunStatus.Succeeded or TaskRunStatus.DeadLettered or TaskRunStatus.Blocked or TaskRunStatus.Cancelled;
}
