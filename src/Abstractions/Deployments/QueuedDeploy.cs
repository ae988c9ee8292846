using Aviary.Rollouts;

namespace Aviary.Deployments;

/// <summary>A deploy waiting in the release queue, its rollout id reserved.</summary>
[GenerateSerializer, Immutable, Alias("aviary.QueuedDeploy")]
public sealed record QueuedDeploy
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Version { get; init; } = "";
    [Id(2)] public string[] Destinations { get; init; } = [];
    [Id(3)] public RolloutPolicy Policy { get; init; } = RolloutPolicy.Default;
    [Id(4)] public string RequestedBy { get; init; } = "";
    [Id(5)] public DateTimeOffset QueuedAt { get; init; }
}
