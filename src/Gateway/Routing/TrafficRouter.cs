using Aviary.Routes;

namespace Aviary.Gateway.Routing;

/// <summary>
/// The routing decision, pure: a service's route, a request's stickiness bucket and its headers
/// and cookies give the version that serves it. The canary serves the buckets below its weight ×
/// 100, so raising the weight only ever moves users from stable to canary, and a rollback moves
/// everyone back; it also serves every request matching the route's rules (A/B, the blue-green
/// preview header). A version with no destinations is never chosen: it takes no proxied traffic.
/// </summary>
public static class TrafficRouter
{
    public static RouteChoice Choose(RouteSnapshot route, int bucket) => Choose(route, bucket, new NoFacts());

    public static RouteChoice Choose<TFacts>(RouteSnapshot route, int bucket, in TFacts facts) where TFacts : IRequestFacts
    {
        if ((uint)bucket >= StickyBucket.Count)
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, $"must be 0 to {StickyBucket.Count - 1}");
        if (route.Split.Length > 0)
            return ChooseInSplit(route, bucket);
        var stable = Routable(route.Stable);
        var canary = Routable(route.Canary);
        if (route.MirrorPercent > 0)
        {
            // Shadow: the client is always answered by stable; some requests are copied.
            if (stable is null)
                return RouteChoice.Nowhere;
            var mirrored = canary is not null && bucket < CanaryBuckets(route.MirrorPercent) && (route.MirrorAllMethods || IsSafe(facts.Method));
            return new RouteChoice(stable, false, mirrored ? canary : null);
        }
        if (canary is not null && (bucket < CanaryBuckets(route.CanaryWeight) || RuleMatcher.Matches(route.CanaryRules, facts)))
            return new RouteChoice(canary, true);
        return stable is not null ? new RouteChoice(stable, false) : RouteChoice.Nowhere;
    }

    /// <summary>Buckets the canary serves at <paramref name="weight"/> percent.</summary>
    public static int CanaryBuckets(int weight) => Math.Clamp(weight, 0, 100) * (StickyBucket.Count / 100);

    /// <summary>A fixed split: each version serves a run of buckets as wide as its weight, in the split's order.</summary>
    private static RouteChoice ChooseInSplit(RouteSnapshot route, int bucket)
    {
        var end = 0;
        foreach (var share in route.Split)
        {
            end += CanaryBuckets(share.Weight);
            if (bucket < end)
            {
                var target = Routable(Array.Find(route.SplitTargets, t => t.Version == share.Version));
                return target is null ? RouteChoice.Nowhere : new RouteChoice(target, share.Version != route.Stable?.Version);
            }
        }
        return route.Stable is { } stable && Routable(stable) is not null ? new RouteChoice(stable, false) : RouteChoice.Nowhere;
    }

    /// <summary>Methods a shadow may receive twice without acting twice (RFC 9110 safe methods).</summary>
    public static bool IsSafe(string method) => method is "GET" or "HEAD" or "OPTIONS";

    private static VersionTarget? Routable(VersionTarget? target) => target is { Destinations.Length: > 0 } ? target : null;
}
