using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>
/// A run's own record: how it ended, written when it ends (none while it runs). The plan and the
/// start time are stored once (<see cref="WorkflowPlanState"/>), the tasks' progress in chunks
/// (<see cref="WorkflowProgressStore"/>).
/// </summary>
/// <remarks>
/// Ids 1 (every task, as builds before chunked progress stored them) and 3 (the start time, now the
/// plan's) are retired: records that still carry them read as before, the fields skipped. Never
/// reuse them.
/// </remarks>
[GenerateSerializer, Alias("aviary.WorkflowGrainState")]
public sealed class WorkflowGrainState
{
    [Id(2)] public WorkflowStatus Status { get; set; }
    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }
}
