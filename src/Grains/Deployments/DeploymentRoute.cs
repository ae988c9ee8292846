using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// The route gateways follow, derived from the stored deployment (never stored itself): where the
/// stable and the canary run, the canary's share and rules, the mirror, a fixed split, and the
/// versions kept on standby for undo.
/// </summary>
public static class DeploymentRoute
{
    public static RouteSnapshot Of(string service, DeploymentState state) => new()
    {
        Service = service,
        Revision = state.RouteRevision,
        Routing = state.Routing ?? ServiceRouting.ByName(service),
        Stable = state.HasStable ? TargetOf(state, state.StableVersion) : null,
        Canary = state.CanaryVersion is { } canary ? TargetOf(state, canary) : null,
        CanaryWeight = state.CanaryVersion is null ? 0 : state.CanaryWeight,
        CanaryRules = state.CanaryVersion is null ? [] : state.ActivePolicy?.CanaryRules ?? [],
        MirrorPercent = Mirrors(state) ? state.ActivePolicy!.MirrorPercent : 0,
        MirrorAllMethods = Mirrors(state) && state.ActivePolicy!.MirrorAllMethods,
        Split = state.Split,
        SplitTargets = [.. state.Targets.Where(t => state.Split.Any(s => s.Version == t.Version))],
        Standby = [.. state.Targets.Where(t => state.PreviousStables.Contains(t.Version) && t.Destinations.Length > 0)],
        Removed = !state.Exists,
    };

    /// <summary>A shadow rollout copies requests to its version throughout; a canary only in its shadow stage (0 %).</summary>
    private static bool Mirrors(DeploymentState state) =>
        state is { CanaryVersion: not null, ActivePolicy: { } policy } && (policy.Strategy == Strategy.Shadow || (policy.HasShadowStage && state.CanaryWeight == 0));

    private static VersionTarget TargetOf(DeploymentState state, string version) =>
        state.Targets.FirstOrDefault(t => t.Version == version) ?? new VersionTarget { Version = version };
}
