using Aviary.Guardrails;
using Aviary.Rollouts;

namespace Aviary.Deployments;

/// <summary>A deploy as asked: the version, where it runs, its rollout's policy, and what the guardrails need to know.</summary>
[GenerateSerializer, Immutable, Alias("aviary.DeployCommand")]
public sealed record DeployCommand
{
    public const int MaxAfter = 20;

    [Id(0)] public string Version { get; init; } = "";
    [Id(1)] public string[] Destinations { get; init; } = [];
    [Id(2)] public RolloutPolicy Policy { get; init; } = RolloutPolicy.Default;
    /// <summary>Releases (<c>service</c> or <c>service@version</c>) this rollout waits for.</summary>
    [Id(3)] public ReleaseRef[] After { get; init; } = [];
    /// <summary>An admin's reason to deploy inside a freeze window.</summary>
    [Id(4)] public string? FreezeOverride { get; init; }
    /// <summary>Who asked (the API's caller): the two-person rule keeps them from approving their own rollout.</summary>
    [Id(5)] public string RequestedBy { get; init; } = "";
}
