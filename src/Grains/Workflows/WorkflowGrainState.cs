using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>A run's plan, stored once when it starts.</summary>
[GenerateSerializer, Alias("aviary.WorkflowPlanState")]
public sealed class WorkflowPlanState
{
    [Id(0)] public WorkflowPlan? Plan { get; set; }
}

/// <summary>A run's progress as stored, rewritten as it moves: every task's state (results by reference only).</summary>
[GenerateSerializer, Alias("aviary.WorkflowGrainState")]
public sealed class WorkflowGrainState
{
    [Id(1)] public TaskRun[] Tasks { get; set; } = [];
    [Id(2)] public WorkflowStatus Status { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }
}
