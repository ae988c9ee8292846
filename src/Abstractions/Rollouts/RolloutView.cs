namespace Aviary.Rollouts;

/// <summary>A rollout as clients see it: stored state plus what is derived from it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.RolloutView")]
public sealed record RolloutView
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    [Id(3)] public string StableVersion { get; init; } = "";
    [Id(4)] public RolloutPolicy Policy { get; init; } = RolloutPolicy.Default;
    [Id(5)] public RolloutStatus Status { get; init; }
    [Id(6)] public int StageIndex { get; init; }
    [Id(7)] public int Weight { get; init; }
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset StageStartedAt { get; init; }
    [Id(10)] public TimeSpan BakeRemaining { get; init; }
    [Id(11)] public DateTimeOffset? NextCheckAt { get; init; }
    [Id(12)] public string? PauseReason { get; init; }
    [Id(13)] public int ConsecutiveFailures { get; init; }
    [Id(14)] public int ConsecutiveInconclusive { get; init; }
    [Id(15)] public Verdict[] Verdicts { get; init; } = [];
    [Id(16)] public StageTransition[] Transitions { get; init; } = [];
    [Id(17)] public DateTimeOffset? CompletedAt { get; init; }
    [Id(18)] public DateTimeOffset Now { get; init; }
    /// <summary>Who approved the rollout leaving its first stage.</summary>
    [Id(19)] public string[] Approvals { get; init; } = [];
    [Id(20)] public string RequestedBy { get; init; } = "";
}
