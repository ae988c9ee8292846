using Aviary.Errors;
using Aviary.Rollouts;
using Aviary.Webhooks;

namespace Aviary.Grains.Webhooks;

/// <summary>One approval link (see <see cref="IApprovalGrain"/>); its key is the token's hash, so the token is nowhere in storage.</summary>
public sealed class ApprovalGrain(
    [PersistentState("approval", Names.Storage)] IPersistentState<ApprovalState> store,
    AviaryClock clock) : Grain, IApprovalGrain
{
    async Task IApprovalGrain.IssueAsync(ApprovalView approval)
    {
        if (store.State.Approval is not null)
            throw new AviaryConflictException("token", "this approval link was issued already");
        await store.WriteOrRevertAsync(new ApprovalState { Approval = approval with { UsedAt = null, UsedBy = null } });
    }

    Task<ApprovalView?> IApprovalGrain.GetAsync() =>
        Task.FromResult(store.State.Approval is { } approval ? approval with { Now = clock.Now } : null);

    async Task<ApprovalView> IApprovalGrain.UseAsync(string caller)
    {
        var approval = store.State.Approval ?? throw new AviaryNotFoundException("token", "no such approval link");
        var now = clock.Now;
        if (approval.UsedAt is { } used)
            throw new AviaryConflictException("token", $"this approval link was used already, by {approval.UsedBy} at {used:u}");
        if (now >= approval.ExpiresAt)
            throw new AviaryConflictException("token", $"this approval link expired at {approval.ExpiresAt:u}");
        var rollout = GrainFactory.GetGrain<IRolloutGrain>(approval.RolloutId);
        var view = await rollout.GetAsync();
        if (view.Status != RolloutStatus.Paused || view.StageIndex != approval.StageIndex)
            throw new AviaryConflictException("rollout", $"{approval.RolloutId} no longer waits at stage {approval.StageIndex} (it is {view.Status}, at stage {view.StageIndex}, {view.Weight} %)");
        await rollout.PromoteAsync(full: false);
        var done = approval with { UsedAt = now, UsedBy = caller };
        await store.WriteOrRevertAsync(new ApprovalState { Approval = done });
        return done with { Now = now };
    }
}
