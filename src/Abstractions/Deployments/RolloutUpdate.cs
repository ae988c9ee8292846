using Aviary.Rollouts;

namespace Aviary.Deployments;

/// <summary>A rollout tells its deployment where traffic now goes, after persisting the change.</summary>
[GenerateSerializer, Immutable, Alias("aviary.RolloutUpdate")]
public sealed record RolloutUpdate
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Version { get; init; } = "";
    [Id(2)] public RolloutStatus Status { get; init; }
    [Id(3)] public int Weight { get; init; }
    [Id(4)] public DateTimeOffset At { get; init; }
    /// <summary>At the end: the last transition's message (why it rolled back, who aborted).</summary>
    [Id(5)] public string Reason { get; init; } = "";
}
