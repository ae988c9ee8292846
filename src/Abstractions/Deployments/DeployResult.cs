using Aviary.Rollouts;

namespace Aviary.Deployments;

/// <summary>What a deploy did: made the version stable at once, or started a rollout.</summary>
[GenerateSerializer, Immutable, Alias("aviary.DeployResult")]
public sealed record DeployResult
{
    [Id(0)] public DeploymentView Deployment { get; init; } = new();
    [Id(1)] public RolloutView? Rollout { get; init; }
    /// <summary>Set when the deploy waits in the release queue: its place and what it waits for.</summary>
    [Id(2)] public Guardrails.Admission? Queued { get; init; }
}
