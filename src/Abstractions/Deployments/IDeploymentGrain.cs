using Orleans.Concurrency;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Deployments;

/// <summary>
/// One service, keyed by service name: stable version, bounded release history, the one active rollout.
/// </summary>
[Alias("aviary.IDeploymentGrain")]
public interface IDeploymentGrain : IGrainWithStringKey
{
    /// <summary>
    /// The first version becomes stable at once; a later one starts a rollout with <paramref name="policy"/>.
    /// Refused while another rollout is active.
    /// </summary>
    [Alias("Deploy")]
    Task<DeployResult> DeployAsync(string version, RolloutPolicy policy);

    /// <summary>
    /// As <see cref="DeployAsync"/>, with the URLs the version runs at: the gateway sends the
    /// version's share of the service's requests there.
    /// </summary>
    [Alias("DeployTo")]
    Task<DeployResult> DeployToAsync(string version, string[] destinations, RolloutPolicy policy);

    /// <summary>
    /// A deploy under the release guardrails: a later version's rollout starts now or waits in the
    /// release queue (<see cref="DeployResult.Queued"/>); refused in a freeze window (unless an admin
    /// overrides it) or when what it waits for failed or would form a cycle.
    /// </summary>
    [Alias("DeployCommand")]
    Task<DeployResult> DeployAsync(DeployCommand command);

    /// <summary>
    /// The release guard gives the queued deploy <paramref name="rolloutId"/> its slot; sent again by
    /// its reconcile for a slot it holds, answered with <c>FinishedAsync</c> when that rollout is over.
    /// </summary>
    [Alias("StartQueued"), OneWay]
    Task StartQueuedAsync(string rolloutId, int requiredApprovals);

    /// <summary>The release guard drops the queued deploy <paramref name="rolloutId"/> (a release it waited for failed).</summary>
    [Alias("CancelQueued"), OneWay]
    Task CancelQueuedAsync(string rolloutId, string reason);

    /// <summary>An operator withdraws the deploy waiting in the release queue.</summary>
    [Alias("Withdraw")]
    Task<DeploymentView> WithdrawAsync(string reason);

    /// <summary>Adds the service, or changes how the gateway finds its requests.</summary>
    [Alias("Configure")]
    Task<DeploymentView> ConfigureAsync(ServiceRouting routing);

    /// <summary>Removes the service: gateways stop routing to it. Refused while a rollout is active.</summary>
    [Alias("Remove")]
    Task RemoveAsync();

    /// <summary>Sets a fixed split across versions (destinations of versions not deployed before in <paramref name="destinations"/>), or ends it when empty.</summary>
    [Alias("SetSplit")]
    Task<DeploymentView> SetSplitAsync(SplitShare[] split, VersionTarget[] destinations);

    /// <summary>The service's current route, or null when the service does not exist.</summary>
    [Alias("GetRoute")]
    Task<RouteSnapshot?> GetRouteAsync();

    /// <summary>The deployment, or null when the service was never deployed.</summary>
    [Alias("Get")]
    Task<DeploymentView?> GetAsync();

    /// <summary>Restores the previous stable version after a successful rollout.</summary>
    [Alias("Undo")]
    Task<DeploymentView> UndoAsync();

    /// <summary>Called by the active rollout after it persisted a change of weight or status.</summary>
    [Alias("ApplyRollout")]
    Task ApplyRolloutAsync(RolloutUpdate update);
}
