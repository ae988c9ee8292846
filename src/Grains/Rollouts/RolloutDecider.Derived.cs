using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

public static partial class RolloutDecider
{
    /// <summary>Percent of traffic the canary gets in this state.</summary>
    public static int Weight(RolloutState state, RolloutPolicy policy) => policy.WeightAt(state.Status, state.StageIndex);

    /// <summary>Checks fall on a grid from the stage's start: start + k × interval.</summary>
    public static DateTimeOffset NextCheckAt(RolloutState state, RolloutPolicy policy)
    {
        var interval = policy.CheckInterval;
        if (state.LastCheckAt is not { } last || last < state.StageStartedAt)
            return state.StageStartedAt + interval;
        var done = (last - state.StageStartedAt).Ticks / interval.Ticks;
        return state.StageStartedAt + TimeSpan.FromTicks((done + 1) * interval.Ticks);
    }

    /// <summary>How much of the stage's bake is left; a paused rollout's clock stands still.</summary>
    public static TimeSpan BakeRemaining(RolloutState state, RolloutPolicy policy, DateTimeOffset now)
    {
        if (state.Status.IsFinal())
            return TimeSpan.Zero;
        var servedUntil = state.Status == RolloutStatus.Paused ? state.PausedAt ?? now : now;
        var remaining = policy.Bake - (servedUntil - state.StageStartedAt);
        return remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    /// <summary>Whether the rollout still waits for approvers before it may leave its first stage.</summary>
    public static bool NeedsApprovals(RolloutState state, RolloutPolicy policy) =>
        policy.RequiredApprovals > 0 && state.StageIndex == 0 && state.Approvals.Length < policy.RequiredApprovals;
}
