using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>What the scheduler did, for the grain to persist and publish.</summary>
public sealed record SchedulerEvent(SchedulerEventKind Kind, string? TaskId, int Attempt, string Message, WorkflowStatus Status);
