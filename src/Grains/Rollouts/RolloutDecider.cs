using Aviary.Errors;
using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The canary state machine. Given the state, a command, the policy and the time, it returns the
/// next state and the events to publish, or refuses the command with a conflict that says why.
/// No Orleans, no clock of its own: every path is a unit test. The timer's check is in
/// <c>RolloutDecider.Check.cs</c>, what the state implies (weight, next check, bake left) in
/// <c>RolloutDecider.Derived.cs</c>.
/// </summary>
public static partial class RolloutDecider
{
    /// <summary>What <paramref name="command"/> does to <paramref name="state"/>: the one place each command is decided.</summary>
    public static RolloutDecision Decide(RolloutState state, RolloutCommand command, RolloutPolicy policy, DateTimeOffset now) => command switch
    {
        RolloutCommand.Start => Start(state, policy, now),
        RolloutCommand.Check check => Check(state, policy, check.Observation, now),
        RolloutCommand.Promote promote => Promote(state, policy, promote.Full, now),
        RolloutCommand.Pause pause => Pause(state, pause.Reason, now),
        RolloutCommand.Resume => Resume(state, policy, now),
        RolloutCommand.Abort abort => Abort(state, abort.Reason, now),
        RolloutCommand.Approve approve => Approve(state, policy, approve, now),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a rollout command"),
    };

    private static RolloutDecision Start(RolloutState state, RolloutPolicy policy, DateTimeOffset now)
    {
        RolloutPolicyValidator.Validate(policy);
        if (state.Status != RolloutStatus.Pending)
            throw new AviaryConflictException("status", $"rollout has already started ({state.Status})");
        var started = RolloutDecision.About(state, now).Transition(RolloutEventKind.Started, RolloutDescription.Started(policy), s => s with
        {
            Status = RolloutStatus.Progressing,
            StageIndex = 0,
            CreatedAt = now,
            StageStartedAt = now,
        });
        return policy.Strategy == Strategy.Canary && policy.Stages.Length == 1
            ? Succeed(started, "single stage: canary takes all traffic")
            : started;
    }

    private static RolloutDecision Promote(RolloutState state, RolloutPolicy policy, bool full, DateTimeOffset now)
    {
        RequireUnderway(state);
        if (NeedsApprovals(state, policy))
            throw new AviaryConflictException("approvals", $"two-person rule: {policy.RequiredApprovals} approval(s) needed to leave the first stage, {state.Approvals.Length} given"
                + (state.Approvals.Length > 0 ? $" ({string.Join(", ", state.Approvals)})" : "") + "; approve it first (aviary approve)");
        var decision = RolloutDecision.About(state, now);
        if (policy.Strategy != Strategy.Canary)
            return Succeed(decision.Transition(RolloutEventKind.Promoted, "promoted by operator", Unpaused), RolloutDescription.Switched(policy));
        if (full)
            return Succeed(decision.Transition(RolloutEventKind.Promoted, "promoted to 100 % by operator", Unpaused), "promoted to 100 %", policy.Stages.Length - 1);
        var promoted = decision.Transition(RolloutEventKind.Promoted, $"promoted to {policy.Stages[state.StageIndex + 1]} % by operator", Unpaused);
        return Advance(promoted, policy);
    }

    private static RolloutDecision Pause(RolloutState state, string? reason, DateTimeOffset now)
    {
        RequireUnderway(state);
        if (state.Status == RolloutStatus.Paused)
            throw new AviaryConflictException("status", "rollout is already paused");
        var why = string.IsNullOrWhiteSpace(reason) ? "paused by operator" : reason.Trim();
        return PauseAt(RolloutDecision.About(state, now), PauseKind.Manual, why);
    }

    private static RolloutDecision Resume(RolloutState state, RolloutPolicy policy, DateTimeOffset now)
    {
        RequireUnderway(state);
        if (state.Status != RolloutStatus.Paused)
            throw new AviaryConflictException("status", "rollout is not paused");
        if (state.PauseKind == PauseKind.Approval)
            throw new AviaryConflictException("status", $"rollout waits for approvals ({state.Approvals.Length} of {policy.RequiredApprovals}); approve it to go on");
        if (state.PauseKind == PauseKind.Gate)
            throw new AviaryConflictException("status", policy.Strategy == Strategy.Canary
                ? $"rollout waits at a manual gate before {policy.Stages[state.StageIndex + 1]} %; promote to pass it"
                : "rollout waits for promote to switch all traffic");

        // Time spent paused is not bake time: shift the stage's clock by it.
        var pausedFor = now - (state.PausedAt ?? now);
        return RolloutDecision.About(state, now).Transition(RolloutEventKind.Resumed, "resumed by operator", s => Unpaused(s) with
        {
            StageStartedAt = s.StageStartedAt + pausedFor,
            LastCheckAt = s.LastCheckAt + pausedFor,
        });
    }

    private static RolloutDecision Abort(RolloutState state, string? reason, DateTimeOffset now)
    {
        RequireUnderway(state);
        var why = string.IsNullOrWhiteSpace(reason) ? "aborted by operator" : reason.Trim();
        return RolloutDecision.About(state, now).Transition(RolloutEventKind.Aborted, why, s => s with
        {
            Status = RolloutStatus.Aborted,
            CompletedAt = now,
            PausedAt = null,
            PauseReason = null,
            PauseKind = PauseKind.None,
        });
    }

    /// <summary>
    /// Distinct people, none of them who deployed it. The last approval needed, while the rollout
    /// waits for it, ends that wait in the same transition, and moves the rollout on at once unless
    /// its confirm-promotion hooks did not agree.
    /// </summary>
    private static RolloutDecision Approve(RolloutState state, RolloutPolicy policy, RolloutCommand.Approve approval, DateTimeOffset now)
    {
        RequireUnderway(state);
        var approver = approval.Approver;
        if (policy.RequiredApprovals == 0)
            throw new AviaryConflictException("approvals", "this rollout needs no approvals (no approval rule for its service when it started)");
        if (!NeedsApprovals(state, policy))
            throw new AviaryConflictException("approvals", $"already approved ({string.Join(", ", state.Approvals)}) or past its first stage");
        if (approver == approval.RequestedBy)
            throw new AviaryConflictException("approver", $"'{approver}' deployed this rollout; the two-person rule needs someone else to approve it");
        if (state.Approvals.Contains(approver))
            throw new AviaryConflictException("approver", $"'{approver}' has already approved ({state.Approvals.Length} of {policy.RequiredApprovals}); another person must");

        string[] approvals = [.. state.Approvals, approver];
        var lastNeeded = state is { Status: RolloutStatus.Paused, PauseKind: PauseKind.Approval } && approvals.Length >= policy.RequiredApprovals;
        var approved = RolloutDecision.About(state, now).Transition(RolloutEventKind.Approved, $"approved by {approver} ({approvals.Length} of {policy.RequiredApprovals})",
            s => lastNeeded ? Unpaused(s with { Approvals = approvals }) : s with { Approvals = approvals });
        return lastNeeded && approval.Proceed ? Proceed(approved, policy) : approved;
    }

    /// <summary>A healthy, baked stage moves on: to a gate, to the switch, or to the next weight.</summary>
    private static RolloutDecision Proceed(RolloutDecision decision, RolloutPolicy policy)
    {
        if (policy.Strategy is Strategy.BlueGreen or Strategy.Shadow && !policy.AutoPromote)
        {
            return PauseAt(decision, PauseKind.Gate, policy.Strategy == Strategy.Shadow
                ? "shadow healthy and matching: promote to switch all traffic"
                : "preview healthy: promote to switch all traffic");
        }
        if (policy.Strategy != Strategy.Canary)
            return Succeed(decision, RolloutDescription.Switched(policy));

        var nextWeight = policy.Stages[decision.State.StageIndex + 1];
        return policy.IsGate(nextWeight)
            ? PauseAt(decision, PauseKind.Gate, $"manual gate before {nextWeight} %: promote to continue")
            : Advance(decision, policy);
    }

    private static RolloutDecision Advance(RolloutDecision decision, RolloutPolicy policy)
    {
        var index = decision.State.StageIndex + 1;
        var advanced = decision.Transition(RolloutEventKind.StageAdvanced, $"canary at {policy.Stages[index]} %", s => s with
        {
            StageIndex = index,
            StageStartedAt = decision.At,
            LastCheckAt = null,
            ConsecutiveFailures = 0,
            ConsecutiveInconclusive = 0,
        });
        return index == policy.Stages.Length - 1 ? Succeed(advanced, "canary takes all traffic") : advanced;
    }

    private static RolloutDecision Succeed(RolloutDecision decision, string message, int? atStage = null) =>
        decision.Transition(RolloutEventKind.Succeeded, message, s => s with
        {
            Status = RolloutStatus.Succeeded,
            CompletedAt = decision.At,
            StageIndex = atStage ?? s.StageIndex,
        });

    private static RolloutDecision RollBack(RolloutDecision decision, string message) =>
        decision.Transition(RolloutEventKind.RolledBack, message, s => s with { Status = RolloutStatus.RolledBack, CompletedAt = decision.At });

    private static RolloutDecision PauseAt(RolloutDecision decision, PauseKind kind, string reason) =>
        decision.Transition(RolloutEventKind.Paused, reason, s => s with
        {
            Status = RolloutStatus.Paused,
            PausedAt = decision.At,
            PauseKind = kind,
            PauseReason = reason,
        });

    private static RolloutState Unpaused(RolloutState state) => state with
    {
        Status = RolloutStatus.Progressing,
        PausedAt = null,
        PauseReason = null,
        PauseKind = PauseKind.None,
        ConsecutiveFailures = 0,
        ConsecutiveInconclusive = 0,
    };

    /// <summary>Operators' commands need a rollout that has started and not ended.</summary>
    private static void RequireUnderway(RolloutState state)
    {
        if (state.Status == RolloutStatus.Pending)
            throw new AviaryConflictException("status", "rollout has not started");
        if (state.Status.IsFinal())
            throw new AviaryConflictException("status", $"rollout has already ended ({state.Status})");
    }
}
