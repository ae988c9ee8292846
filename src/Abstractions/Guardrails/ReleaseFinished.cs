using Aviary.Deployments;

namespace Aviary.Guardrails;

/// <summary>A release ended (or a version became stable at once): its slot frees, and rollouts waiting for it go on or are cancelled.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReleaseFinished")]
public sealed record ReleaseFinished
{
    /// <summary>Null for a first version, stable without a rollout.</summary>
    [Id(0)] public string? RolloutId { get; init; }
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    [Id(3)] public ReleaseOutcome Outcome { get; init; }
    [Id(4)] public string Reason { get; init; } = "";
}
