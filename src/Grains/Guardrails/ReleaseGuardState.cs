using Aviary.Guardrails;

namespace Aviary.Grains.Guardrails;

/// <summary>The guard as stored: the policy, the slots held, the queue in order, and recent outcomes (bounded).</summary>
[GenerateSerializer, Alias("aviary.ReleaseGuardState")]
public sealed record ReleaseGuardState
{
    public const int MaxQueued = 10_000;
    public const int MaxOutcomes = 512;

    [Id(0)] public GuardrailPolicy Policy { get; init; } = GuardrailPolicy.None;
    [Id(1)] public ActiveRelease[] Active { get; init; } = [];
    [Id(2)] public QueuedRelease[] Queued { get; init; } = [];
    /// <summary>How recent releases ended: what a dependent rollout admitted later is judged on.</summary>
    [Id(3)] public ReleaseFinished[] Outcomes { get; init; } = [];
}
