using Aviary.Deployments;
using Aviary.Rollouts;
using Aviary.Routes;

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

    /// <summary>How the gateway finds the service's requests; null for a service stored before routes existed (routed by name).</summary>
    [Id(7)] public ServiceRouting? Routing { get; init; }
    /// <summary>Destinations of the versions the service can route to: stable, canary and the earlier stables undo restores.</summary>
    [Id(8)] public VersionTarget[] Targets { get; init; } = [];
    /// <summary>Rises with every stored change, so gateways keep the newest route they heard of.</summary>
    [Id(9)] public long RouteRevision { get; init; }

    /// <summary>
    /// The active rollout's policy: what its route needs (A/B rules, the blue-green preview,
    /// the shadow's mirror share) and, at its end, its switch-back window; derived from it, not copied.
    /// </summary>
    [Id(10)] public RolloutPolicy? ActivePolicy { get; init; }
    /// <summary>Until when undo may switch back to the version a blue-green switch replaced; after it that version is released.</summary>
    [Id(12)] public DateTimeOffset? SwitchBackUntil { get; init; }

    /// <summary>A fixed split across versions (their destinations in <see cref="Targets"/>); empty when not split.</summary>
    [Id(15)] public SplitShare[] Split { get; init; } = [];

    /// <summary>A deploy waiting in the release queue; its rollout id is reserved.</summary>
    [Id(16)] public QueuedDeploy? Queued { get; init; }

    /// <summary>Added (by <c>service add</c>) or deployed at least once, and not removed.</summary>
    public bool Exists => StableVersion.Length > 0 || Routing is not null;

    public bool HasStable => StableVersion.Length > 0;
}
