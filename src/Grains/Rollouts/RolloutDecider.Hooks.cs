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
    public static RolloutDecision HeldByHook(RolloutState state, RolloutState next, RolloutPolicy policy, GateAnswer answer, DateTimeOffset now, List<RolloutDecisionEvent> events)
    {
        if (answer.Failed)
        {
            var failed = next with { ConsecutiveFailures = state.ConsecutiveFailures + 1 };
            if (failed.ConsecutiveFailures >= policy.FailureLimit)
            {
                var message = $"rolled back: {answer.Reason} ({failed.ConsecutiveFailures} failed check(s) in a row)";
                failed = Record(failed with { Status = RolloutStatus.RolledBack, CompletedAt = now }, now, RolloutEventKind.RolledBack, message);
                events.Add(new(RolloutEventKind.RolledBack, message));
                return new RolloutDecision(failed, true, events, now);
            }
            var counted = $"check failed: {answer.Reason} ({failed.ConsecutiveFailures} of {policy.FailureLimit} allowed in a row)";
            events.Add(new(RolloutEventKind.CheckCompleted, counted));
            return new RolloutDecision(Record(failed, now, RolloutEventKind.CheckCompleted, counted), true, events, now);
        }

        var held = $"held at {Weight(state, policy)} %: {answer.Reason}";
        events.Add(new(RolloutEventKind.CheckCompleted, held));
        var repeated = state.Transitions.Length > 0 && state.Transitions[^1].Message == held;
        return repeated
            ? new RolloutDecision(next, next.ConsecutiveFailures != state.ConsecutiveFailures, events, now)
            : new RolloutDecision(Record(next, now, RolloutEventKind.CheckCompleted, held), true, events, now);
    }

    /// <summary>Whether <paramref name="next"/> moves the rollout to a new stage (or switches all traffic): what confirm-promotion hooks are asked about.</summary>
    public static bool MovesStage(RolloutState before, RolloutState next) =>
        next.StageIndex > before.StageIndex || (next.Status == RolloutStatus.Succeeded && before.Status != RolloutStatus.Succeeded);
}
