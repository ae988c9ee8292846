namespace Aviary.Webhooks;

/// <summary>
/// One approval link, keyed by the SHA-256 of its token (hex): the token itself is never stored.
/// It approves one rollout's one gated stage, once, until it expires.
/// </summary>
[Alias("aviary.IApprovalGrain")]
public interface IApprovalGrain : IGrainWithStringKey
{
    /// <summary>Stores what the link approves; called by the rollout when it pauses at a gate.</summary>
    [Alias("Issue")]
    Task IssueAsync(ApprovalView approval);

    /// <summary>What the link approves, or null for an unknown link. Never acts.</summary>
    [Alias("Get")]
    Task<ApprovalView?> GetAsync();

    /// <summary>
    /// Promotes the rollout if it still waits at the link's stage, and marks the link used by
    /// <paramref name="caller"/>; a used, expired or stale link is a conflict naming why.
    /// </summary>
    [Alias("Use")]
    Task<ApprovalView> UseAsync(string caller);
}
