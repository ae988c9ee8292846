namespace Aviary.Grains.Deployments;

/// <summary>
/// Destinations are kept only for the versions traffic can reach again: stable, canary, the
/// stables undo restores and a split's versions. Whatever changes those prunes the rest.
/// </summary>
internal static class RoutableTargets
{
    public static DeploymentState Keep(DeploymentState state) => state with
    {
        Targets = [.. state.Targets.Where(t => t.Version == state.StableVersion || t.Version == state.CanaryVersion || state.PreviousStables.Contains(t.Version)
            || state.Split.Any(s => s.Version == t.Version))],
    };
}
