namespace Aviary.Guardrails;

/// <summary>A deployment asks to start a rollout: the guard starts it now, queues it, or refuses it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReleaseRequest")]
public sealed record ReleaseRequest
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    /// <summary>Releases this one waits for, resolved to versions by the deployment.</summary>
    [Id(3)] public ReleaseRef[] After { get; init; } = [];
    /// <summary>An admin's reason to start inside a freeze window; null otherwise.</summary>
    [Id(4)] public string? FreezeOverride { get; init; }
    [Id(5)] public string RequestedBy { get; init; } = "";
}
