namespace Aviary.Workflows;

/// <summary>A run as clients see it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowView")]
public sealed record WorkflowView
{
    [Id(0)] public string RunId { get; init; } = "";
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public WorkflowStatus Status { get; init; }
    [Id(3)] public TaskRun[] Tasks { get; init; } = [];
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
    [Id(5)] public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>The run's cost: every attempt of every task summed (the peak heap is the largest seen).</summary>
    [Id(7)] public ResourceUse Use { get; init; }

    public int Count(TaskRunStatus status) => Tasks.Count(t => t.Status == status);
}
