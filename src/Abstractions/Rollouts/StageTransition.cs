namespace Aviary.Rollouts;

/// <summary>One persisted change of a rollout's stage or status: the rollout's own audit trail.</summary>
[GenerateSerializer, Immutable, Alias("aviary.StageTransition")]
public sealed record StageTransition
{
    [Id(0)] public DateTimeOffset At { get; init; }
    [Id(1)] public RolloutEventKind Kind { get; init; }
    [Id(2)] public int StageIndex { get; init; }
    [Id(3)] public RolloutStatus Status { get; init; }
    [Id(4)] public string Message { get; init; } = "";
}
