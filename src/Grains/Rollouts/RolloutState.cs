using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The least state that decides a rollout. Weights, deadlines and the next check time are
/// derived from it (<see cref="RolloutDecider"/>), never stored.
/// </summary>
[GenerateSerializer, Alias("aviary.RolloutState")]
public sealed record RolloutState
{
    public const int MaxVerdicts = 5;
    public const int MaxTransitions = 64;

    /// <summary>A rollout before <see cref="RolloutCommand.Start"/>: pending, with nothing recorded.</summary>
    public static readonly RolloutState NotStarted = new();

    [Id(0)] public RolloutStatus Status { get; init; }
    [Id(1)] public int StageIndex { get; init; }
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the current stage began, shifted forward by time spent paused.</summary>
    [Id(3)] public DateTimeOffset StageStartedAt { get; init; }
    [Id(4)] public DateTimeOffset? PausedAt { get; init; }
    [Id(5)] public string? PauseReason { get; init; }
    [Id(6)] public PauseKind PauseKind { get; init; }
    [Id(7)] public DateTimeOffset? CompletedAt { get; init; }
    [Id(8)] public int ConsecutiveFailures { get; init; }
    [Id(9)] public int ConsecutiveInconclusive { get; init; }
    /// <summary>The last check in this stage. Persisted only with a transition: after a restart the first check comes at once.</summary>
    [Id(10)] public DateTimeOffset? LastCheckAt { get; init; }
    /// <summary>The last checks, their reasons left out (<see cref="RolloutDescription.Explain"/> writes them out again).</summary>
    [Id(11)] public Verdict[] Verdicts { get; init; } = [];
    [Id(12)] public StageTransition[] Transitions { get; init; } = [];
    /// <summary>Who approved the rollout leaving its first stage (at most the policy's required count).</summary>
    [Id(13)] public string[] Approvals { get; init; } = [];
}
