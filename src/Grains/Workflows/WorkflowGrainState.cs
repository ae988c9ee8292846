using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>A run's plan, stored once when it starts.</summary>
[GenerateSerializer, Alias("aviary.WorkflowPlanState")]
public sealed class WorkflowPlanState
{
    [Id(0)] public WorkflowPlan? Plan { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A run's own record: how it ended, written when it ends (none while it runs). The plan and the
/// start time are stored once (<see cref="WorkflowPlanState"/>), the tasks' progress in chunks
/// (<see cref="WorkflowProgressStore"/>).
/// </summary>
[GenerateSerializer, Alias("aviary.WorkflowGrainState")]
public sealed class WorkflowGrainState
{
    /// <summary>Every task's progress, as versions before chunked progress stored it; empty once the run is stored in chunks.</summary>
    [Id(1)] public TaskRun[] Tasks { get; set; } = [];
    [Id(2)] public WorkflowStatus Status { get; set; }
    /// <summary>As versions before <see cref="WorkflowPlanState.CreatedAt"/> stored it.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }
}
