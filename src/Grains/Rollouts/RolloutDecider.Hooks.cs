using Aviary.Rollouts;
using Aviary.Webhooks;

namespace Aviary.Grains.Rollouts;

public static partial class RolloutDecider
{
    /// <summary>
    /// A healthy check that would have moved the rollout to a new stage, answered by its
    /// confirm-promotion hooks with <paramref name="answer"/>. A refusal (a non-2xx answer) holds
    /// the rollout at its stage, to be asked again at the next check; no answer (a timeout, an
    /// error) is a failed check, counted toward the policy's failure limit, as Flagger counts a
    /// failing webhook. A hold is recorded as a transition once, not at every check that repeats it.
    /// </summary>
    private static RolloutDecision HeldByHook(RolloutState state, RolloutDecision healthy, RolloutPolicy policy, GateAnswer answer)
    {
        if (!answer.Failed)
            return healthy.TransitionOnce(RolloutEventKind.CheckCompleted, $"held at {Weight(state, policy)} %: {answer.Reason}");

        var failed = healthy.Counts(state.ConsecutiveFailures + 1, 0);
        var failures = failed.State.ConsecutiveFailures;
        return failures >= policy.FailureLimit
            ? RollBack(failed, $"rolled back: {answer.Reason} ({failures} failed check(s) in a row)")
            : failed.Transition(RolloutEventKind.CheckCompleted, $"check failed: {answer.Reason} ({failures} of {policy.FailureLimit} allowed in a row)");
    }

    /// <summary>Whether <paramref name="next"/> moves the rollout to a new stage (or switches all traffic): what confirm-promotion hooks are asked about.</summary>
    public static bool MovesStage(RolloutState before, RolloutState next) =>
        next.StageIndex > before.StageIndex || (next.Status == RolloutStatus.Succeeded && before.Status != RolloutStatus.Succeeded);
}
