using Aviary.Rollouts;

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
