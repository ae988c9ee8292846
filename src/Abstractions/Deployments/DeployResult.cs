using Aviary.Rollouts;

namespace Aviary.Deployments;

/// <summary>What a deploy did: made the version stable at once, or started a rollout.</summary>
[GenerateSerializer, Immutable, Alias("aviary.DeployResult")]
public sealed record DeployResult
{
    [Id(0)] public DeploymentView Deployment { get; init; } = new();
    [Id(1)] public RolloutView? Rollout { get; init; }
}
