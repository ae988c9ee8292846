using Aviary.Routes;

namespace Aviary.Deployments;

/// <summary>A service's deployment: its stable version, the canary in flight and the traffic split.</summary>
[GenerateSerializer, Immutable, Alias("aviary.DeploymentView")]
public sealed record DeploymentView
{
    [Id(0)] public string Service { get; init; } = "";
    [Id(1)] public string StableVersion { get; init; } = "";
    [Id(2)] public string? ActiveRolloutId { get; init; }
    [Id(3)] public string? CanaryVersion { get; init; }
    /// <summary>Percent of traffic the canary gets; the stable version gets the rest.</summary>
    [Id(4)] public int CanaryWeight { get; init; }
    [Id(5)] public ReleaseRecord[] Releases { get; init; } = [];
    [Id(6)] public string? PreviousStableVersion { get; init; }
    /// <summary>How the gateway finds the service's requests.</summary>
    [Id(7)] public ServiceRouting Routing { get; init; } = new();
    /// <summary>Where the versions the service can route to run (stable, canary, earlier stables).</summary>
    [Id(8)] public VersionTarget[] Targets { get; init; } = [];
    /// <summary>After a blue-green switch: until when undo switches back to <see cref="PreviousStableVersion"/>.</summary>
    [Id(9)] public DateTimeOffset? SwitchBackUntil { get; init; }
    /// <summary>A fixed split across versions, when the service runs one.</summary>
    [Id(10)] public SplitShare[] Split { get; init; } = [];
    /// <summary>A deploy waiting in the release queue (<c>aviary queue</c> says why).</summary>
    [Id(11)] public QueuedDeploy? Queued { get; init; }
}
