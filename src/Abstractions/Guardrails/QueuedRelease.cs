namespace Aviary.Guardrails;

/// <summary>A deploy waiting for a slot, a release it depends on, or the end of a freeze.</summary>
[GenerateSerializer, Immutable, Alias("aviary.QueuedRelease")]
public sealed record QueuedRelease
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    /// <summary>Releases still awaited (those that succeeded are dropped).</summary>
    [Id(3)] public ReleaseRef[] After { get; init; } = [];
    [Id(4)] public string? FreezeOverride { get; init; }
    [Id(5)] public string RequestedBy { get; init; } = "";
    [Id(6)] public DateTimeOffset QueuedAt { get; init; }
    /// <summary>Why it waits, as of the last look (views only).</summary>
    [Id(7)] public string Waiting { get; init; } = "";
}
