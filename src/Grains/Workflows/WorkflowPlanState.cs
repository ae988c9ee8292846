using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>A run's plan, stored once when it starts.</summary>
[GenerateSerializer, Alias("aviary.WorkflowPlanState")]
public sealed class WorkflowPlanState
{
    [Id(0)] public WorkflowPlan? Plan { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
}
