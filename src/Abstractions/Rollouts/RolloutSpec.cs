namespace Aviary.Rollouts;

/// <summary>What a rollout was asked to do; fixed when it starts.</summary>
[GenerateSerializer, Immutable, Alias("aviary.RolloutSpec")]
public sealed record RolloutSpec
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    [Id(3)] public string StableVersion { get; init; } = "";
    [Id(4)] public RolloutPolicy Policy { get; init; } = RolloutPolicy.Default;
    /// <summary>Who deployed it: under the two-person rule they cannot approve it themselves.</summary>
    [Id(5)] public string RequestedBy { get; init; } = "";
}
