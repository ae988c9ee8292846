namespace Aviary.Guardrails;

/// <summary>A rollout holding a slot: started and not yet ended.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ActiveRelease")]
public sealed record ActiveRelease
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    [Id(3)] public DateTimeOffset Since { get; init; }
}
