using System.Globalization;
using Aviary.Errors;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The canary state machine. Given the state, the policy, the time and (for checks) what the
/// metrics windows saw, it returns the next state and the events to publish. No Orleans, no clock
/// of its own: every path is a unit test.
/// </summary>
public static partial class RolloutDecider
{
    public static RolloutDecision Start(RolloutPolicy policy, DateTimeOffset now)
    {
        RolloutPolicyValidator.Validate(policy);
        var state = new RolloutState
        {
            Status = RolloutStatus.Progressing,
            StageIndex = 0,
            CreatedAt = now,
            StageStartedAt = now,
        };
        var started = policy.Strategy switch
        {
            Strategy.BlueGreen => $"preview: on the preview route only (header {policy.PreviewHeader}: 1)",
            Strategy.AB => $"A/B: requests matching {policy.Rules.Length} rule(s) for {policy.Iterations} checks",
            Strategy.Shadow => $"shadow: {policy.MirrorPercent} % of requests copied for {policy.Iterations} checks; clients get stable's answers",
            _ when policy.HasShadowStage => $"shadow stage: {policy.MirrorPercent} % of requests copied; clients get stable's answers (then canary at {policy.Stages[1]} %)",
            _ => $"canary at {policy.Stages[0]} %",
        };
        state = Record(state, now, RolloutEventKind.Started, started);
        var events = new List<RolloutDecisionEvent> { new(RolloutEventKind.Started, started) };
        if (policy.Strategy == Strategy.Canary && policy.Stages.Length == 1)
            state = Succeed(state, now, events, "single stage: canary takes all traffic");
        return new RolloutDecision(state, true, events, now);
    }

    public static RolloutDecision Check(RolloutState state, RolloutPolicy policy, HealthObservation observation, DateTimeOffset now)
    {
        if (state.Status != RolloutStatus.Progressing || now < NextCheckAt(state, policy))
            return RolloutDecision.Unchanged(state);

        var verdict = Evaluate(state, policy, observation, now);
        var next = state with
        {
            LastCheckAt = now,
            Verdicts = BoundedHistory.Append(state.Verdicts, verdict with { Reason = "" }, RolloutState.MaxVerdicts),
        };
        var events = new List<RolloutDecisionEvent> { new(RolloutEventKind.CheckCompleted, verdict.Reason, verdict) };
        if (policy.DryRun)
            return new RolloutDecision(next, false, events, now); // shown, never acted on

        switch (verdict.Result)
        {
            case VerdictResult.Unhealthy:
                next = next with { ConsecutiveFailures = state.ConsecutiveFailures + 1, ConsecutiveInconclusive = 0 };
                if (next.ConsecutiveFailures >= policy.FailureLimit)
                {
                    var message = $"rolled back: {verdict.Reason} ({next.ConsecutiveFailures} unhealthy check(s) in a row)";
                    next = Record(next with { Status = RolloutStatus.RolledBack, CompletedAt = now }, now, RolloutEventKind.RolledBack, message);
                    events.Add(new(RolloutEventKind.RolledBack, message));
                }
                return new RolloutDecision(next, true, events, now);

            case VerdictResult.Inconclusive:
                // Counted in memory only: a rollout without traffic must not write on every check.
                // After a restart the count starts again, which can only delay the pause.
                next = next with { ConsecutiveInconclusive = state.ConsecutiveInconclusive + 1 };
                if (next.ConsecutiveInconclusive < policy.InconclusiveLimit)
                    return new RolloutDecision(next, false, events, now);
                var pause = $"{next.ConsecutiveInconclusive} inconclusive checks in a row (fewer than {policy.MinSamples} canary samples)";
                next = PauseAt(next, now, PauseKind.Inconclusive, pause);
                events.Add(new(RolloutEventKind.Paused, pause));
                return new RolloutDecision(next, true, events, now);

            default:
                // Clearing a persisted failure count is worth a write; clearing the in-memory inconclusive count is not.
                var failuresCleared = state.ConsecutiveFailures != 0;
                next = next with { ConsecutiveFailures = 0, ConsecutiveInconclusive = 0 };
                if (now < state.StageStartedAt + policy.Bake)
                    return new RolloutDecision(next, failuresCleared, events, now);
                if (NeedsApprovals(next, policy))
                {
                    var reason = $"waiting for approvals to leave the first stage: {next.Approvals.Length} of {policy.RequiredApprovals} (two-person rule)";
                    next = PauseAt(next, now, PauseKind.Approval, reason);
                    events.Add(new(RolloutEventKind.Paused, reason));
                    return new RolloutDecision(next, true, events, now);
                }
                // Moving to a new stage: the confirm-promotion hooks' refusal holds it (RolloutDecider.Hooks.cs).
                if (observation.Confirmation is { Passed: false } refusal)
                    return HeldByHook(state, next, policy, refusal, now, events);
                return new RolloutDecision(Proceed(next, policy, now, events), true, events, now);
        }
    }

    /// <summary>
    /// Counts <paramref name="approver"/> towards the approvals the rollout needs to leave its first
    /// stage. Distinct people, none of them <paramref name="requestedBy"/> (who deployed it). When
    /// the last one needed comes while the rollout waits for it, it goes on at once; with
    /// <paramref name="proceed"/> false (its confirm-promotion hooks did not agree) it only resumes
    /// its checks, and the next one asks them again.
    /// </summary>
    public static RolloutDecision Approve(RolloutState state, RolloutPolicy policy, string approver, string requestedBy, DateTimeOffset now, bool proceed = true)
    {
        RequireNotFinal(state);
        if (policy.RequiredApprovals == 0)
            throw new AviaryConflictException("approvals", "this rollout needs no approvals (no approval rule for its service when it started)");
        if (!NeedsApprovals(state, policy))
            throw new AviaryConflictException("approvals", $"already approved ({string.Join(", ", state.Approvals)}) or past its first stage");
        if (approver == requestedBy)
            throw new AviaryConflictException("approver", $"'{approver}' deployed this rollout; the two-person rule needs someone else to approve it");
        if (state.Approvals.Contains(approver))
            throw new AviaryConflictException("approver", $"'{approver}' has already approved ({state.Approvals.Length} of {policy.RequiredApprovals}); another person must");

        var approvals = state.Approvals.Append(approver).ToArray();
        var message = $"approved by {approver} ({approvals.Length} of {policy.RequiredApprovals})";
        var events = new List<RolloutDecisionEvent> { new(RolloutEventKind.Approved, message) };
        var next = Record(state with { Approvals = approvals }, now, RolloutEventKind.Approved, message);
        if (state is { Status: RolloutStatus.Paused, PauseKind: PauseKind.Approval } && !NeedsApprovals(next, policy))
            next = proceed ? Proceed(Unpaused(next), policy, now, events) : Unpaused(next);
        return new RolloutDecision(next, true, events, now);
    }

    /// <summary>Whether the rollout still waits for approvers before it may leave its first stage.</summary>
    public static bool NeedsApprovals(RolloutState state, RolloutPolicy policy) =>
        policy.RequiredApprovals > 0 && state.StageIndex == 0 && state.Approvals.Length < policy.RequiredApprovals;

    /// <summary>A healthy, baked stage moves on: to a gate, to the switch, or to the next weight.</summary>
    private static RolloutState Proceed(RolloutState next, RolloutPolicy policy, DateTimeOffset now, List<RolloutDecisionEvent> events)
    {
        if (policy.Strategy is Strategy.BlueGreen or Strategy.Shadow && !policy.AutoPromote)
        {
            var reason = policy.Strategy == Strategy.Shadow
                ? "shadow healthy and matching: promote to switch all traffic"
                : "preview healthy: promote to switch all traffic";
            events.Add(new(RolloutEventKind.Paused, reason));
            return PauseAt(next, now, PauseKind.Gate, reason);
        }
        if (policy.Strategy != Strategy.Canary)
            return Succeed(next, now, events, SwitchedMessage(policy));

        var nextWeight = policy.Stages[next.StageIndex + 1];
        if (policy.IsGate(nextWeight))
        {
            var reason = $"manual gate before {nextWeight} %: promote to continue";
            events.Add(new(RolloutEventKind.Paused, reason));
            return PauseAt(next, now, PauseKind.Gate, reason);
        }
        return Advance(next, policy, now, events);
    }

    public static RolloutDecision Promote(RolloutState state, RolloutPolicy policy, bool full, DateTimeOffset now)
    {
        RequireNotFinal(state);
        if (NeedsApprovals(state, policy))
            throw new AviaryConflictException("approvals", $"two-person rule: {policy.RequiredApprovals} approval(s) needed to leave the first stage, {state.Approvals.Length} given"
                + (state.Approvals.Length > 0 ? $" ({string.Join(", ", state.Approvals)})" : "") + "; approve it first (aviary approve)");
        var events = new List<RolloutDecisionEvent>();
        var cleared = Unpaused(state);
        if (policy.Strategy != Strategy.Canary)
        {
            events.Add(new(RolloutEventKind.Promoted, "promoted by operator"));
            var promotedNow = Record(cleared, now, RolloutEventKind.Promoted, "promoted by operator");
            return new RolloutDecision(Succeed(promotedNow, now, events, SwitchedMessage(policy)), true, events, now);
        }
        if (full)
        {
            events.Add(new(RolloutEventKind.Promoted, "promoted to 100 % by operator"));
            var done = Record(cleared, now, RolloutEventKind.Promoted, "promoted to 100 % by operator");
            return new RolloutDecision(Succeed(done with { StageIndex = policy.Stages.Length - 1 }, now, events, "promoted to 100 %"), true, events, now);
        }

        var message = $"promoted to {policy.Stages[state.StageIndex + 1]} % by operator";
        events.Add(new(RolloutEventKind.Promoted, message));
        var promoted = Record(cleared, now, RolloutEventKind.Promoted, message);
        return new RolloutDecision(Advance(promoted, policy, now, events), true, events, now);
    }

    public static RolloutDecision Pause(RolloutState state, string? reason, DateTimeOffset now)
    {
        RequireNotFinal(state);
        if (state.Status == RolloutStatus.Paused)
            throw new AviaryConflictException("status", "rollout is already paused");
        var why = string.IsNullOrWhiteSpace(reason) ? "paused by operator" : reason.Trim();
        var next = PauseAt(state, now, PauseKind.Manual, why);
        return new RolloutDecision(next, true, [new(RolloutEventKind.Paused, why)], now);
    }

    public static RolloutDecision Resume(RolloutState state, RolloutPolicy policy, DateTimeOffset now)
    {
        RequireNotFinal(state);
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
        var next = Unpaused(state) with
        {
            StageStartedAt = state.StageStartedAt + pausedFor,
            LastCheckAt = state.LastCheckAt + pausedFor,
        };
        next = Record(next, now, RolloutEventKind.Resumed, "resumed by operator");
        return new RolloutDecision(next, true, [new(RolloutEventKind.Resumed, "resumed by operator")], now);
    }

    public static RolloutDecision Abort(RolloutState state, string? reason, DateTimeOffset now)
    {
        RequireNotFinal(state);
        var why = string.IsNullOrWhiteSpace(reason) ? "aborted by operator" : reason.Trim();
        var next = Record(state with { Status = RolloutStatus.Aborted, CompletedAt = now, PausedAt = null, PauseReason = null, PauseKind = PauseKind.None },
            now, RolloutEventKind.Aborted, why);
        return new RolloutDecision(next, true, [new(RolloutEventKind.Aborted, why)], now);
    }

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

    public static TimeSpan BakeRemaining(RolloutState state, RolloutPolicy policy, DateTimeOffset now)
    {
        if (state.Status.IsFinal())
            return TimeSpan.Zero;
        var servedUntil = state.Status == RolloutStatus.Paused ? state.PausedAt ?? now : now;
        var remaining = policy.Bake - (servedUntil - state.StageStartedAt);
        return remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    public static RolloutView Describe(RolloutSpec spec, RolloutState state, DateTimeOffset now) => new()
    {
        RolloutId = spec.RolloutId,
        Service = spec.Service,
        Version = spec.Version,
        StableVersion = spec.StableVersion,
        Policy = spec.Policy,
        Status = state.Status,
        StageIndex = state.StageIndex,
        Weight = Weight(state, spec.Policy),
        CreatedAt = state.CreatedAt,
        StageStartedAt = state.StageStartedAt,
        BakeRemaining = BakeRemaining(state, spec.Policy, now),
        NextCheckAt = state.Status == RolloutStatus.Progressing ? NextCheckAt(state, spec.Policy) : null,
        PauseReason = state.PauseReason,
        ConsecutiveFailures = state.ConsecutiveFailures,
        ConsecutiveInconclusive = state.ConsecutiveInconclusive,
        Verdicts = [.. state.Verdicts.Select(v => v.Reason.Length > 0 ? v : v with { Reason = Explain(v, spec.Policy) })],
        Transitions = state.Transitions,
        CompletedAt = state.CompletedAt,
        Now = now,
        Approvals = state.Approvals,
        RequestedBy = spec.RequestedBy,
    };

    /// <summary>
    /// The verdict on <paramref name="observation"/> by the policy's analysis, its reason written
    /// out (events and views carry it). The windows' histograms are left out: the comparison that
    /// needed them is in the verdict.
    /// </summary>
    public static Verdict Evaluate(RolloutState state, RolloutPolicy policy, HealthObservation observation, DateTimeOffset now)
    {
        var canary = observation.Canary;
        var mismatch = observation.Mismatch;
        var byThreshold =
            canary.Count < policy.MinSamples || (mismatch is not null && mismatch.Count < policy.MinSamples) ? VerdictResult.Inconclusive
            : ThresholdBreach(canary, mismatch, policy) is not null ? VerdictResult.Unhealthy
            : VerdictResult.Healthy;
        var comparison = policy.Analysis == Analysis.Threshold ? null : CanaryJudge.Compare(canary, observation.Stable, policy);
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
            Stable = observation.Stable.WithoutBuckets(),
            Comparison = comparison,
            DryRun = policy.DryRun,
            Mismatch = mismatch?.WithoutBuckets(),
        };
        return verdict with { Reason = Explain(verdict, policy) };
    }

    /// <summary>
    /// Why <paramref name="verdict"/> came out as it did, from its figures and the policy. The
    /// stored history keeps verdicts without this text (it would be most of a rollout's state);
    /// views write it out again.
    /// </summary>
    public static string Explain(Verdict verdict, RolloutPolicy policy)
    {
        var canary = verdict.Canary;
        var stable = verdict.Stable;
        var comparison = verdict.Comparison;
        var usesThreshold = policy.Analysis != Analysis.Compare;
        var reason = verdict.Result switch
        {
            VerdictResult.Inconclusive when canary.Count < policy.MinSamples => $"inconclusive: {canary.Count} canary samples, {policy.MinSamples} needed",
            VerdictResult.Inconclusive when verdict.Mismatch is { } m && m.Count < policy.MinSamples => $"inconclusive: {m.Count} compared copies, {policy.MinSamples} needed",
            VerdictResult.Inconclusive => $"inconclusive: {stable.Count} stable samples, {policy.MinSamples} needed to compare",
            VerdictResult.Unhealthy => (usesThreshold ? ThresholdBreach(canary, verdict.Mismatch, policy) : null) ?? ComparisonBreach(comparison) ?? "unhealthy",
            _ => $"healthy: error rate {Percent(canary.ErrorRate)}, p95 {Ms(canary.P95Ms)} over {canary.Count} samples"
                + (verdict.Mismatch is { } mm ? $", mismatch rate {Percent(mm.ErrorRate)} over {mm.Count} compared copies" : "")
                + (comparison is null ? "" : $"; vs stable: errors {Percent(comparison.ErrorRate.Stable)} (p {P(comparison.ErrorRate.PValue)}), p50 {Ms(comparison.Latency.Canary)} vs {Ms(comparison.Latency.Stable)} (p {P(comparison.Latency.PValue)})"),
        };
        return verdict.DryRun ? "dry run, not acted on: " + reason : reason;
    }

    /// <summary>The threshold the canary broke, or null.</summary>
    private static string? ThresholdBreach(MetricsSnapshot canary, MetricsSnapshot? mismatch, RolloutPolicy policy) =>
        canary.ErrorRate > policy.MaxErrorRate ? $"error rate {Percent(canary.ErrorRate)} > {Percent(policy.MaxErrorRate)}"
        : canary.P95Ms > policy.MaxP95.TotalMilliseconds ? $"p95 {Ms(canary.P95Ms)} > {Ms(policy.MaxP95.TotalMilliseconds)}"
        : mismatch is not null && mismatch.ErrorRate > policy.MaxMismatchRate ? $"mismatch rate {Percent(mismatch.ErrorRate)} > {Percent(policy.MaxMismatchRate)} (copies answered differently from stable)"
        : null;

    /// <summary>The metric on which the canary was judged worse than stable, or null.</summary>
    private static string? ComparisonBreach(Comparison? comparison) =>
        comparison is null ? null
        : comparison.ErrorRate.Result == Judgement.Fail
            ? $"error rate {Percent(comparison.ErrorRate.Canary)} vs stable {Percent(comparison.ErrorRate.Stable)}: worse (p {P(comparison.ErrorRate.PValue)})"
        : comparison.Latency.Result == Judgement.Fail
            ? $"latency p50 {Ms(comparison.Latency.Canary)} vs stable {Ms(comparison.Latency.Stable)}: worse (p {P(comparison.Latency.PValue)})"
        : null;

    private static string SwitchedMessage(RolloutPolicy policy) =>
        policy.Strategy switch
        {
            Strategy.BlueGreen => "switched: the new version takes all traffic",
            Strategy.Shadow => "shadow done: the new version takes all traffic",
            _ => "A/B done: the new version takes all traffic",
        };

    private static RolloutState Advance(RolloutState state, RolloutPolicy policy, DateTimeOffset now, List<RolloutDecisionEvent> events)
    {
        var index = state.StageIndex + 1;
        var weight = policy.Stages[index];
        var message = $"canary at {weight} %";
        var next = Record(state with
        {
            StageIndex = index,
            StageStartedAt = now,
            LastCheckAt = null,
            ConsecutiveFailures = 0,
            ConsecutiveInconclusive = 0,
        }, now, RolloutEventKind.StageAdvanced, message);
        events.Add(new(RolloutEventKind.StageAdvanced, message));
        return index == policy.Stages.Length - 1 ? Succeed(next, now, events, "canary takes all traffic") : next;
    }

    private static RolloutState Succeed(RolloutState state, DateTimeOffset now, List<RolloutDecisionEvent> events, string message)
    {
        events.Add(new(RolloutEventKind.Succeeded, message));
        return Record(state with { Status = RolloutStatus.Succeeded, CompletedAt = now }, now, RolloutEventKind.Succeeded, message);
    }

    private static RolloutState PauseAt(RolloutState state, DateTimeOffset now, PauseKind kind, string reason) =>
        Record(state with { Status = RolloutStatus.Paused, PausedAt = now, PauseKind = kind, PauseReason = reason },
            now, RolloutEventKind.Paused, reason);

    private static RolloutState Unpaused(RolloutState state) => state with
    {
        Status = RolloutStatus.Progressing,
        PausedAt = null,
        PauseReason = null,
        PauseKind = PauseKind.None,
        ConsecutiveFailures = 0,
        ConsecutiveInconclusive = 0,
    };

    private static RolloutState Record(RolloutState state, DateTimeOffset now, RolloutEventKind kind, string message) =>
        state with
        {
            Transitions = BoundedHistory.Append(state.Transitions, new StageTransition
            {
                At = now,
                Kind = kind,
                StageIndex = state.StageIndex,
                Status = state.Status,
                Message = message,
            }, RolloutState.MaxTransitions),
        };

    private static void RequireNotFinal(RolloutState state)
    {
        if (state.Status.IsFinal())
            throw new AviaryConflictException("status", $"rollout has already ended ({state.Status})");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", CultureInfo.InvariantCulture);
}
