using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

public static partial class RolloutDecider
{
    /// <summary>
    /// A due check of a progressing rollout: judged, then counted towards a rollback or an
    /// inconclusive pause, or, healthy and baked, moved on. Before it is due it changes nothing.
    /// </summary>
    private static RolloutDecision Check(RolloutState state, RolloutPolicy policy, HealthObservation observation, DateTimeOffset now)
    {
        if (state.Status != RolloutStatus.Progressing || now < NextCheckAt(state, policy))
            return RolloutDecision.Unchanged(state);

        var verdict = Evaluate(state, policy, observation, now);
        var judged = RolloutDecision.About(state, now).Checked(verdict);
        if (policy.DryRun)
            return judged; // shown, never acted on

        switch (verdict.Result)
        {
            case VerdictResult.Unhealthy:
                var failed = judged.Counts(state.ConsecutiveFailures + 1, 0);
                var failures = failed.State.ConsecutiveFailures;
                return failures < policy.FailureLimit
                    ? failed
                    : RollBack(failed, $"rolled back: {verdict.Reason} ({failures} unhealthy check(s) in a row)");

            case VerdictResult.Inconclusive:
                var unsure = judged.Counts(state.ConsecutiveFailures, state.ConsecutiveInconclusive + 1);
                var inconclusive = unsure.State.ConsecutiveInconclusive;
                return inconclusive < policy.InconclusiveLimit
                    ? unsure
                    : PauseAt(unsure, PauseKind.Inconclusive, $"{inconclusive} inconclusive checks in a row (fewer than {policy.MinSamples} canary samples)");

            default:
                var healthy = judged.Counts(0, 0);
                if (now < state.StageStartedAt + policy.Bake)
                    return healthy;
                if (NeedsApprovals(healthy.State, policy))
                    return PauseAt(healthy, PauseKind.Approval,
                        $"waiting for approvals to leave the first stage: {healthy.State.Approvals.Length} of {policy.RequiredApprovals} (two-person rule)");
                // Moving to a new stage: the confirm-promotion hooks' refusal holds it (RolloutDecider.Hooks.cs).
                if (observation.Confirmation is { Passed: false } refusal)
                    return HeldByHook(state, healthy, policy, refusal);
                return Proceed(healthy, policy);
        }
    }

    /// <summary>
    /// The verdict on <paramref name="observation"/> by the policy's analysis, its reason written
    /// out (events and views carry it). The windows' histograms are left out: the comparison that
    /// needed them is in the verdict.
    /// </summary>
    public static Verdict Evaluate(RolloutState state, RolloutPolicy policy, HealthObservation observation, DateTimeOffset now)
    {
        var (canary, stable) = observation.Windows;
        var mismatch = observation.Mismatch;
        var byThreshold =
            canary.Count < policy.MinSamples || (mismatch is not null && mismatch.Count < policy.MinSamples) ? VerdictResult.Inconclusive
            : BreachOf(canary, mismatch, policy) != ThresholdBreach.None ? VerdictResult.Unhealthy
            : VerdictResult.Healthy;
        var comparison = policy.Analysis == Analysis.Threshold ? null : CanaryJudge.Compare(canary, stable, policy);
        var byComparison = comparison?.Result switch
        {
            Judgement.Fail => VerdictResult.Unhealthy,
            Judgement.NoData => VerdictResult.Inconclusive,
            _ => VerdictResult.Healthy,
        };
        var result = policy.Analysis switch
        {
            Analysis.Threshold => byThreshold,
            Analysis.Compare => byComparison,
            _ => byThreshold == VerdictResult.Unhealthy || byComparison == VerdictResult.Unhealthy ? VerdictResult.Unhealthy
                : byThreshold == VerdictResult.Inconclusive || byComparison == VerdictResult.Inconclusive ? VerdictResult.Inconclusive
                : VerdictResult.Healthy,
        };
        var verdict = new Verdict
        {
            At = now,
            StageIndex = state.StageIndex,
            Result = result,
            Canary = canary.WithoutBuckets(),
            Stable = stable.WithoutBuckets(),
            Comparison = comparison,
            DryRun = policy.DryRun,
            Mismatch = mismatch?.WithoutBuckets(),
        };
        return verdict with { Reason = RolloutDescription.Explain(verdict, policy) };
    }

    /// <summary>The first of the policy's thresholds the canary (or, for a shadow, its compared copies) broke.</summary>
    public static ThresholdBreach BreachOf(MetricsSnapshot canary, MetricsSnapshot? mismatch, RolloutPolicy policy) =>
        canary.ErrorRate > policy.MaxErrorRate ? ThresholdBreach.ErrorRate
        : canary.P95Ms > policy.MaxP95.TotalMilliseconds ? ThresholdBreach.P95
        : mismatch is not null && mismatch.ErrorRate > policy.MaxMismatchRate ? ThresholdBreach.Mismatch
        : ThresholdBreach.None;
}
