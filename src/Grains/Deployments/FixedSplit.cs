using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// A service's traffic split across versions for as long as the operator wants (champion and
/// challengers), instead of a rollout: pure, like <see cref="DeploymentLedger"/>, and exclusive with it.
/// </summary>
public static class FixedSplit
{
    public const int MaxVersions = 10;

    /// <summary>
    /// The stable version and others, each with destinations (given now, or known from an earlier
    /// deploy), weights adding up to 100. An empty split ends it: the stable version takes all traffic.
    /// </summary>
    public static DeploymentState Set(DeploymentState state, string service, SplitShare[] split, VersionTarget[] destinations)
    {
        if (!state.HasStable)
            throw new AviaryNotFoundException("service", $"'{service}' has no stable version yet: deploy one first");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); a split waits until it ends");
        if (split.Length == 0)
            return RoutableTargets.Keep(state with { Split = [] });
        if (split.Length is < 2 or > MaxVersions)
            throw new AviaryValidationException("weights", $"a split names 2 to {MaxVersions} versions (to end one: --end)");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var share in split)
        {
            Identifiers.ValidateVersion(share.Version, "weights");
            if (!names.Add(share.Version))
                throw new AviaryValidationException("weights", $"'{share.Version}' is named twice");
            if (share.Weight is < 1 or > 99)
                throw new AviaryValidationException("weights", $"each weight must be between 1 and 99 (got {share.Version}={share.Weight})");
        }
        if (split.Sum(s => s.Weight) != 100)
            throw new AviaryValidationException("weights", $"weights must add up to 100 (they add up to {split.Sum(s => s.Weight)})");
        if (!names.Contains(state.StableVersion))
            throw new AviaryValidationException("weights", $"the stable version {state.StableVersion} must be one of the split's versions");
        var targets = state.Targets.Where(t => !destinations.Any(d => d.Version == t.Version)).Concat(destinations).ToArray();
        foreach (var share in split)
        {
            if (targets.FirstOrDefault(t => t.Version == share.Version) is not { Destinations.Length: > 0 })
                throw new AviaryValidationException("to", $"version {share.Version} has no destinations: give them with --to {share.Version}=URL");
        }
        return state with { Split = split, Targets = targets };
    }

    /// <summary>The split as operators read it: <c>v1 90 %, v2 10 %</c>.</summary>
    public static string Describe(SplitShare[] split) => string.Join(", ", split.Select(s => $"{s.Version} {s.Weight} %"));
}
