using Aviary.Deployments;

namespace Aviary.Grains.Deployments;

/// <summary>A service's deployment as stored. Histories are bounded.</summary>
[GenerateSerializer, Alias("aviary.DeploymentState")]
public sealed record DeploymentState
{
    public const int MaxReleases = 50;
    public const int MaxPreviousStables = 10;

    [Id(0)] public string StableVersion { get; init; } = "";
    /// <summary>Earlier stable versions, most recent last: what undo restores.</summary>
    [Id(1)] public string[] PreviousStables { get; init; } = [];
    [Id(2)] public string? ActiveRolloutId { get; init; }
    [Id(3)] public string? CanaryVersion { get; init; }
    [Id(4)] public int CanaryWeight { get; init; }
    [Id(5)] public int RolloutsStarted { get; init; }
    [Id(6)] public ReleaseRecord[] Releases { get; init; } = [];

    public bool Exists => StableVersion.Length > 0;
}
