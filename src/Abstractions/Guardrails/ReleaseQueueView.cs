namespace Aviary.Guardrails;

/// <summary>What <c>aviary queue</c> shows: rollouts holding slots, deploys waiting in order, the freeze in force.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReleaseQueueView")]
public sealed record ReleaseQueueView
{
    [Id(0)] public ActiveRelease[] Active { get; init; } = [];
    [Id(1)] public QueuedRelease[] Queued { get; init; } = [];
    [Id(2)] public ActiveFreeze? Freeze { get; init; }
    [Id(3)] public int MaxActiveRollouts { get; init; }
}
