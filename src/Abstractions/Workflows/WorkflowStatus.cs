namespace Aviary.Workflows;

[GenerateSerializer, Alias("aviary.WorkflowStatus")]
public enum WorkflowStatus
{
    Running = 0,
    Succeeded = 1,
    /// <summary>Every task ended, and at least one was dead-lettered (its dependents blocked).</summary>
    Failed = 2,
    Cancelled = 3,
}
