namespace Aviary.Guardrails;

/// <summary>
/// The cluster's release guardrails, one grain (key <see cref="Key"/>): the policy, the rollouts
/// holding slots and the queue of deploys waiting in order. It never waits on a deployment:
/// deployments call it, and it answers them with one-way messages, so the two can never wait on
/// each other.
/// </summary>
[Alias("aviary.IReleaseGuardGrain")]
public interface IReleaseGuardGrain : IGrainWithStringKey
{
    public const string Key = "global";

    [Alias("GetPolicy")]
    Task<GuardrailPolicy> GetPolicyAsync();

    /// <summary>Replaces the policy; the queue is looked at again under the new limits.</summary>
    [Alias("SetPolicy")]
    Task<GuardrailPolicy> SetPolicyAsync(GuardrailPolicy policy);

    /// <summary>Refused inside a freeze window unless <paramref name="freezeOverride"/> gives a reason (a version stable at once).</summary>
    [Alias("CheckFreeze")]
    Task CheckFreezeAsync(string? freezeOverride);

    /// <summary>Starts the rollout now (its slot taken) or queues it; refuses it in a freeze or when its dependencies form a cycle. Idempotent by rollout id.</summary>
    [Alias("Admit")]
    Task<Admission> AdmitAsync(ReleaseRequest request);

    /// <summary>A release ended: its slot frees, dependents go on or are cancelled, and the queue moves.</summary>
    [Alias("Finished")]
    Task FinishedAsync(ReleaseFinished finished);

    /// <summary>An operator cancelled a queued deploy.</summary>
    [Alias("Withdraw")]
    Task WithdrawAsync(string rolloutId);

    [Alias("GetQueue")]
    Task<ReleaseQueueView> GetQueueAsync();
}
