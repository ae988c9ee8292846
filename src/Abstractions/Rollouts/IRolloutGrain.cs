namespace Aviary.Rollouts;

/// <summary>
/// One canary rollout, keyed by rollout id (<c>service/number</c>). Checks its health on a timer,
/// advances, pauses or rolls back on its own, and takes operator commands.
/// </summary>
[Alias("aviary.IRolloutGrain")]
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Starts the rollout at its first stage. Called by the deployment; idempotent for the same spec.</summary>
    [Alias("Start")]
    Task<RolloutView> StartAsync(RolloutSpec spec);

    [Alias("Get")]
    Task<RolloutView> GetAsync();

    /// <summary>Advances to the next stage now (passing a gate or the bake time), or to 100 % with <paramref name="full"/>.</summary>
    [Alias("Promote")]
    Task<RolloutView> PromoteAsync(bool full);

    [Alias("Pause")]
    Task<RolloutView> PauseAsync(string reason);

    [Alias("Resume")]
    Task<RolloutView> ResumeAsync();

    /// <summary>Sends all traffic back to the stable version now.</summary>
    [Alias("Abort")]
    Task<RolloutView> AbortAsync(string reason);

    /// <summary>Counts <paramref name="approver"/> towards the approvals the rollout needs to leave its first stage; the last one needed lets it go on.</summary>
    [Alias("Approve")]
    Task<RolloutView> ApproveAsync(string approver);
}
