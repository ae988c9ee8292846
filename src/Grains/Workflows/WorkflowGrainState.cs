using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>A run as stored: its plan and every task's progress (results by reference only).</summary>
[GenerateSerializer, Alias("aviary.WorkflowGrainState")]
public sealed class WorkflowGrainState
{
    [Id(0)] public WorkflowPlan? Plan { get; set; }
    [Id(1)] public TaskRun[] Tasks { get; set; } = [];
    [Id(2)] public WorkflowStatus Status { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }
}
