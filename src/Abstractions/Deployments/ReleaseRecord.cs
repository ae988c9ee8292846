namespace Aviary.Deployments;

/// <summary>One line of a service's release history.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReleaseRecord")]
public sealed record ReleaseRecord
{
    [Id(0)] public string Version { get; init; } = "";
    [Id(1)] public string? RolloutId { get; init; }
    [Id(2)] public ReleaseOutcome Outcome { get; init; }
    [Id(3)] public DateTimeOffset StartedAt { get; init; }
    [Id(4)] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Why a queued deploy was cancelled.</summary>
    [Id(5)] public string? Reason { get; init; }
}
