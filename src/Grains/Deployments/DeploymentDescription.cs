using Aviary.Deployments;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>What operators read about a service's deployment: the stored state as its public view.</summary>
public static class DeploymentDescription
{
    public static DeploymentView Describe(string service, DeploymentState state) => new()
    {
        Service = service,
        StableVersion = state.StableVersion,
        ActiveRolloutId = state.ActiveRolloutId,
        CanaryVersion = state.CanaryVersion,
        CanaryWeight = state.CanaryWeight,
        Releases = state.Releases,
        PreviousStableVersion = state.PreviousStables.Length == 0 ? null : state.PreviousStables[^1],
        Routing = state.Routing ?? ServiceRouting.ByName(service),
        Targets = state.Targets,
        SwitchBackUntil = state.SwitchBackUntil,
        Split = state.Split,
        Queued = state.Queued,
    };
}
