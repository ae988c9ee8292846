namespace Aviary.Guardrails;

/// <summary>Services that share a limit on rollouts active at once (say, everything that touches payments).</summary>
[GenerateSerializer, Immutable, Alias("aviary.ServiceGroup")]
public sealed record ServiceGroup
{
    public const int MaxServices = 1000;

    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string[] Services { get; init; } = [];
    /// <summary>Rollouts of the group's services that may be active at once (at least 1).</summary>
    [Id(2)] public int MaxActive { get; init; } = 1;
}
