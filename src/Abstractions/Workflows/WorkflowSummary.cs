namespace Aviary.Workflows;

/// <summary>
/// A run in a few bytes: its status and how many tasks are in each state. What a poller needs;
/// the full <see cref="WorkflowView"/> of a 10,000-task run is a megabyte.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowSummary")]
public sealed record WorkflowSummary
{
    [Id(0)] public WorkflowStatus Status { get; init; }
    [Id(1)] public int Tasks { get; init; }
    [Id(2)] public int Succeeded { get; init; }
    [Id(3)] public int Running { get; init; }
    [Id(4)] public int Failed { get; init; }
}
