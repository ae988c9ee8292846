namespace Aviary.Routes;

/// <summary>
/// Everything a gateway needs to route one service's requests, published by the service's
/// deployment after it persisted the change. <see cref="Revision"/> rises with every change, so a
/// gateway that hears of a route twice (stream and reconcile) keeps the newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.RouteSnapshot")]
public sealed record RouteSnapshot
{
    [Id(0)] public string Service { get; init; } = "";
    [Id(1)] public long Revision { get; init; }
    [Id(2)] public ServiceRouting Routing { get; init; } = new();

    /// <summary>The stable version; null while the service has no version yet (its requests get 503).</summary>
    [Id(3)] public VersionTarget? Stable { get; init; }

    /// <summary>The version being rolled out, or null.</summary>
    [Id(4)] public VersionTarget? Canary { get; init; }

    /// <summary>Percent of requests (by stickiness bucket) the canary serves, 0–100.</summary>
    [Id(5)] public int CanaryWeight { get; init; }

    /// <summary>True when the service was removed: gateways drop it.</summary>
    [Id(6)] public bool Removed { get; init; }

    /// <summary>Requests matching any of these go to the canary whatever its weight (A/B rules, the blue-green preview header).</summary>
    [Id(7)] public MatchRule[] CanaryRules { get; init; } = [];

    /// <summary>Earlier stable versions kept routable, so undo switches back without the gateway building anything.</summary>
    [Id(8)] public VersionTarget[] Standby { get; init; } = [];

    /// <summary>Shadow: percent of requests (by stickiness bucket) copied to the canary, whose answers no client sees; 0 for none.</summary>
    [Id(9)] public int MirrorPercent { get; init; }

    /// <summary>Shadow: copy requests of every method, not only GET, HEAD and OPTIONS.</summary>
    [Id(10)] public bool MirrorAllMethods { get; init; }

    /// <summary>A fixed split across versions, in order; empty when the service is not split. Its versions' targets are in <see cref="SplitTargets"/>.</summary>
    [Id(11)] public SplitShare[] Split { get; init; } = [];

    [Id(12)] public VersionTarget[] SplitTargets { get; init; } = [];

    /// <summary>Every version the gateway keeps a cluster for: stable, canary, the split's, standby.</summary>
    public IEnumerable<VersionTarget> Targets()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in new[] { Stable, Canary }.Concat(SplitTargets).Concat(Standby))
        {
            if (target is not null && seen.Add(target.Version))
                yield return target;
        }
    }
}
