namespace Aviary.Workflows;

/// <summary>A DAG of agent tasks: what a workflow run executes.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowPlan")]
public sealed record WorkflowPlan
{
    [Id(0)] public string Name { get; init; } = "";

    [Id(1)] public TaskSpec[] Tasks { get; init; } = [];
}
