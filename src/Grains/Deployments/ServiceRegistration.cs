using Aviary.Errors;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// A service coming into Aviary and leaving it, apart from its releases: how the gateway finds
/// its requests, and what survives its removal.
/// </summary>
public static class ServiceRegistration
{
    /// <summary>Adds the service or changes its routing; versions and rollouts are untouched.</summary>
    public static DeploymentState Configure(DeploymentState state, ServiceRouting routing) =>
        state with { Routing = RouteValidator.Validate(routing) };

    /// <summary>
    /// What is left of a removed service: its counters, so a service added again under the same
    /// name never reuses a rollout id nor a route revision.
    /// </summary>
    public static DeploymentState Remove(DeploymentState state, string service)
    {
        if (!state.Exists)
            throw new AviaryNotFoundException("service", $"no service named '{service}'");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); abort it before removing the service");
        if (state.Queued is { } queued)
            throw new AviaryConflictException("service", $"'{service}' has {queued.Version} waiting in the release queue ({queued.RolloutId}); abort it before removing the service");
        return new DeploymentState { RolloutsStarted = state.RolloutsStarted, RouteRevision = state.RouteRevision };
    }
}
