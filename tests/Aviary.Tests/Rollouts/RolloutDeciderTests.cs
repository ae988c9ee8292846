using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Rollouts;

public sealed class RolloutDeciderTests
{
    private static readonly RolloutPolicy Policy = new()
    {
        BakeTime = TimeSpan.FromSeconds(60),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
    };

    private static readonly HealthObservation Healthy = Observe(count: 100, errors: 1, p95: 50);
    private static readonly HealthObservation Unhealthy = Observe(count: 100, errors: 30, p95: 50);
    private static readonly HealthObservation Slow = Observe(count: 100, errors: 0, p95: 450);
    private static readonly HealthObservation Sparse = Observe(count: 5, errors: 0, p95: 50);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Start_DefaultPolicy_ProgressesAtFirstStageAndPersists()
    {
        var decision = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), RolloutPolicy.Default, _time.GetUtcNow());

        Assert.True(decision.Persist);
        Assert.Equal(RolloutStatus.Progressing, decision.State.Status);
        Assert.Equal(0, decision.State.StageIndex);
        Assert.Equal(10, RolloutDecider.Weight(decision.State, RolloutPolicy.Default));
        Assert.Equal([RolloutEventKind.Started], decision.Events.Select(e => e.Kind));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), RolloutDecider.NextCheckAt(decision.State, RolloutPolicy.Default));
    }

    [Fact]
    public void Check_HealthyWalk_AdvancesEachStageAfterBakeAndSucceedsAt100()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        var weights = new List<int> { RolloutDecider.Weight(state, Policy) };
        var advancedAt = new List<TimeSpan>();
        var start = _time.GetUtcNow();
        for (var i = 0; i < 40 && state.Status == RolloutStatus.Progressing; i++)
        {
            _time.Advance(Policy.CheckInterval);
            var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow());
            if (decision.State.StageIndex != state.StageIndex)
            {
                weights.Add(RolloutDecider.Weight(decision.State, Policy));
                advancedAt.Add(_time.GetUtcNow() - start);
            }
            state = decision.State;
        }

        Assert.Equal(RolloutStatus.Succeeded, state.Status);
        Assert.Equal([10, 25, 50, 75, 100], weights);
        Assert.Equal([60, 120, 180, 240], advancedAt.Select(t => (int)t.TotalSeconds));
        Assert.Equal(100, RolloutDecider.Weight(state, Policy));
    }

    [Fact]
    public void Check_HealthyBeforeBakeServed_StaysAndDoesNotPersist()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromSeconds(50));

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow());

        Assert.False(decision.Persist);
        Assert.Equal(0, decision.State.StageIndex);
        Assert.Equal(TimeSpan.FromSeconds(10), RolloutDecider.BakeRemaining(decision.State, Policy, _time.GetUtcNow()));
        Assert.Equal([RolloutEventKind.CheckCompleted], decision.Events.Select(e => e.Kind));
        Assert.Equal(VerdictResult.Healthy, decision.Events[0].Verdict!.Result);
    }

    [Fact]
    public void Check_BeforeItIsDue_ChangesNothing()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromSeconds(9));

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Unhealthy), Policy, _time.GetUtcNow());

        Assert.Same(state, decision.State);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Check_ErrorRateBreach_RollsBackAtOnceWithDefaultFailureLimit()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(Policy.CheckInterval);

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Unhealthy), Policy, _time.GetUtcNow());

        Assert.True(decision.Persist);
        Assert.Equal(RolloutStatus.RolledBack, decision.State.Status);
        Assert.Equal(0, RolloutDecider.Weight(decision.State, Policy));
        Assert.Equal(_time.GetUtcNow(), decision.State.CompletedAt);
        Assert.Equal([RolloutEventKind.CheckCompleted, RolloutEventKind.RolledBack], decision.Events.Select(e => e.Kind));
        Assert.Contains("error rate 30.0 % > 10.0 %", decision.Events[1].Message);
    }

    [Fact]
    public void Check_P95Breach_IsUnhealthy()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(Policy.CheckInterval);

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Slow), Policy, _time.GetUtcNow());

        Assert.Equal(RolloutStatus.RolledBack, decision.State.Status);
        Assert.Equal("p95 450 ms > 200 ms", decision.Events[0].Verdict!.Reason);
        // Stored without its text; the text comes back from the figures and the policy.
        Assert.Equal("", decision.State.Verdicts[^1].Reason);
        Assert.Equal("p95 450 ms > 200 ms", RolloutDescription.Explain(decision.State.Verdicts[^1], Policy));
    }

    [Fact]
    public void Check_FailureLimitThree_RollsBackOnlyOnThirdConsecutiveUnhealthy()
    {
        var policy = Policy with { FailureLimit = 3 };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, _time.GetUtcNow()).State;
        var statuses = new List<(RolloutStatus, int)>();
        foreach (var observation in new[] { Unhealthy, Unhealthy, Healthy, Unhealthy, Unhealthy, Unhealthy })
        {
            _time.Advance(policy.CheckInterval);
            var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(observation), policy, _time.GetUtcNow());
            state = decision.State;
            statuses.Add((state.Status, state.ConsecutiveFailures));
        }

        Assert.Equal(
            [
                (RolloutStatus.Progressing, 1), (RolloutStatus.Progressing, 2), (RolloutStatus.Progressing, 0),
                (RolloutStatus.Progressing, 1), (RolloutStatus.Progressing, 2), (RolloutStatus.RolledBack, 3),
            ],
            statuses);
    }

    [Fact]
    public void Check_TooFewSamples_IsInconclusiveNeverHealthyAndPausesAtLimit()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromSeconds(60)); // bake served: a healthy check would advance

        var first = RolloutDecider.Decide(state, new RolloutCommand.Check(Sparse), Policy, _time.GetUtcNow());
        Assert.Equal(VerdictResult.Inconclusive, first.State.Verdicts[^1].Result);
        Assert.Equal(0, first.State.StageIndex);
        Assert.Equal(RolloutStatus.Progressing, first.State.Status);

        state = first.State;
        for (var i = 1; i < Policy.InconclusiveLimit; i++)
        {
            _time.Advance(Policy.CheckInterval);
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Sparse), Policy, _time.GetUtcNow()).State;
        }

        Assert.Equal(RolloutStatus.Paused, state.Status);
        Assert.Equal(PauseKind.Inconclusive, state.PauseKind);
        Assert.Contains("3 inconclusive checks in a row", state.PauseReason);
        Assert.Equal(0, state.StageIndex);
        Assert.Equal(10, RolloutDecider.Weight(state, Policy));
    }

    [Fact]
    public void Check_Inconclusive_BelowLimit_IsNotPersisted_ButThePauseIs()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        var persisted = new List<bool>();
        for (var i = 0; i < Policy.InconclusiveLimit; i++)
        {
            _time.Advance(Policy.CheckInterval);
            var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Sparse), Policy, _time.GetUtcNow());
            persisted.Add(decision.Persist);
            state = decision.State;
        }

        Assert.Equal([false, false, true], persisted);
        Assert.Equal(RolloutStatus.Paused, state.Status);
    }

    [Fact]
    public void Check_Unhealthy_BelowFailureLimit_IsPersisted()
    {
        var policy = Policy with { FailureLimit = 2 };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, _time.GetUtcNow()).State;
        _time.Advance(policy.CheckInterval);

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Unhealthy), policy, _time.GetUtcNow());

        Assert.True(decision.Persist);
        Assert.Equal(1, decision.State.ConsecutiveFailures);
        Assert.Equal(RolloutStatus.Progressing, decision.State.Status);
    }

    [Fact]
    public void Check_WhilePaused_DoesNothing()
    {
        var state = RolloutDecider.Decide(RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State, new RolloutCommand.Pause("look"), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromMinutes(5));

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(Unhealthy), Policy, _time.GetUtcNow());

        Assert.Same(state, decision.State);
    }

    [Fact]
    public void PauseResume_PausedTimeDoesNotCountAsBake()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromSeconds(40));
        state = RolloutDecider.Decide(state, new RolloutCommand.Pause(""), Policy, _time.GetUtcNow()).State;
        Assert.Equal(RolloutStatus.Paused, state.Status);
        Assert.Equal("paused by operator", state.PauseReason);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromSeconds(20), RolloutDecider.BakeRemaining(state, Policy, _time.GetUtcNow()));
        var resumed = RolloutDecider.Decide(state, new RolloutCommand.Resume(), Policy, _time.GetUtcNow());
        state = resumed.State;

        Assert.Equal(RolloutStatus.Progressing, state.Status);
        Assert.Equal([RolloutEventKind.Resumed], resumed.Events.Select(e => e.Kind));
        Assert.Equal(TimeSpan.FromSeconds(20), RolloutDecider.BakeRemaining(state, Policy, _time.GetUtcNow()));

        var stages = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow()).State;
            stages.Add(state.StageIndex);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal([0, 0, 1], stages); // 40 s, 50 s, then 60 s of bake served
    }

    [Fact]
    public void Pause_Twice_IsAConflictAndResumeOfRunningIsAConflict()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        var paused = RolloutDecider.Decide(state, new RolloutCommand.Pause("x"), Policy, _time.GetUtcNow()).State;

        var twice = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(paused, new RolloutCommand.Pause("x"), Policy, _time.GetUtcNow()));
        Assert.Equal("status", twice.Field);
        Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Resume(), Policy, _time.GetUtcNow()));
    }

    [Fact]
    public void Gate_HealthyAfterBake_PausesBeforeGatedStageUntilPromoted()
    {
        var policy = Policy with { Gates = [50] };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, _time.GetUtcNow()).State;
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(policy.CheckInterval);
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), policy, _time.GetUtcNow()).State;
        }

        Assert.Equal(RolloutStatus.Paused, state.Status);
        Assert.Equal(PauseKind.Gate, state.PauseKind);
        Assert.Equal(25, RolloutDecider.Weight(state, policy));
        var resume = Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Resume(), policy, _time.GetUtcNow()));
        Assert.Contains("manual gate before 50 %", resume.Rule);

        var promoted = RolloutDecider.Decide(state, new RolloutCommand.Promote(false), policy, _time.GetUtcNow());
        Assert.Equal(RolloutStatus.Progressing, promoted.State.Status);
        Assert.Equal(50, RolloutDecider.Weight(promoted.State, policy));
        Assert.Equal(_time.GetUtcNow(), promoted.State.StageStartedAt);
        Assert.Equal([RolloutEventKind.Promoted, RolloutEventKind.StageAdvanced], promoted.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Promote_SkipsRemainingBake()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        _time.Advance(TimeSpan.FromSeconds(5));

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Promote(false), Policy, _time.GetUtcNow());

        Assert.Equal(1, decision.State.StageIndex);
        Assert.Equal(25, RolloutDecider.Weight(decision.State, Policy));
        Assert.Equal(TimeSpan.FromSeconds(60), RolloutDecider.BakeRemaining(decision.State, Policy, _time.GetUtcNow()));
    }

    [Fact]
    public void Promote_FromStage75_Succeeds()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        for (var i = 0; i < 3; i++)
            state = RolloutDecider.Decide(state, new RolloutCommand.Promote(false), Policy, _time.GetUtcNow()).State;
        Assert.Equal(75, RolloutDecider.Weight(state, Policy));

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Promote(false), Policy, _time.GetUtcNow());

        Assert.Equal(RolloutStatus.Succeeded, decision.State.Status);
        Assert.Equal([RolloutEventKind.Promoted, RolloutEventKind.StageAdvanced, RolloutEventKind.Succeeded], decision.Events.Select(e => e.Kind));
    }

    [Fact]
    public void PromoteFull_GoesTo100AndSucceeds()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Promote(true), Policy, _time.GetUtcNow());

        Assert.Equal(RolloutStatus.Succeeded, decision.State.Status);
        Assert.Equal(4, decision.State.StageIndex);
        Assert.Equal(100, RolloutDecider.Weight(decision.State, Policy));
        Assert.Equal([RolloutEventKind.Promoted, RolloutEventKind.Succeeded], decision.Events.Select(e => e.Kind));
    }

    [Fact]
    public void Abort_SendsTrafficBackAndEndsTheRollout()
    {
        var state = RolloutDecider.Decide(RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State, new RolloutCommand.Promote(false), Policy, _time.GetUtcNow()).State;

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Abort(""), Policy, _time.GetUtcNow());

        Assert.Equal(RolloutStatus.Aborted, decision.State.Status);
        Assert.Equal(0, RolloutDecider.Weight(decision.State, Policy));
        Assert.Equal("aborted by operator", decision.Events.Single().Message);
        Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(decision.State, new RolloutCommand.Abort(""), Policy, _time.GetUtcNow()));
        Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(decision.State, new RolloutCommand.Promote(false), Policy, _time.GetUtcNow()));
        Assert.Same(decision.State, RolloutDecider.Decide(decision.State, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow() + TimeSpan.FromHours(1)).State);
    }

    [Fact]
    public void CustomStages_WalkExactlyThoseWeights()
    {
        var policy = Policy with { Stages = [5, 50, 100], BakeTime = TimeSpan.Zero };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, _time.GetUtcNow()).State;
        var weights = new List<int> { RolloutDecider.Weight(state, policy) };
        while (state.Status == RolloutStatus.Progressing)
        {
            _time.Advance(policy.CheckInterval);
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), policy, _time.GetUtcNow()).State;
            weights.Add(RolloutDecider.Weight(state, policy));
        }

        Assert.Equal([5, 50, 100], weights);
    }

    [Fact]
    public void SingleStage100_SucceedsAtStart()
    {
        var decision = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy with { Stages = [100] }, _time.GetUtcNow());

        Assert.Equal(RolloutStatus.Succeeded, decision.State.Status);
        Assert.Equal([RolloutEventKind.Started, RolloutEventKind.Succeeded], decision.Events.Select(e => e.Kind));
    }

    [Fact]
    public void NextCheckAt_AfterRestartWithStaleLastCheck_IsDueAtOnceThenBackOnGrid()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        var start = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(10));
        state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow()).State;

        // Down for 25 s: the stored last check is stale, so the next check is already due.
        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(start + TimeSpan.FromSeconds(20), RolloutDecider.NextCheckAt(state, Policy));
        state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow()).State;
        Assert.Equal(start + TimeSpan.FromSeconds(40), RolloutDecider.NextCheckAt(state, Policy));
    }

    [Fact]
    public void Verdicts_AreBounded()
    {
        var policy = Policy with { BakeTime = TimeSpan.FromDays(1) };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, _time.GetUtcNow()).State;
        for (var i = 0; i < RolloutState.MaxVerdicts + 15; i++)
        {
            _time.Advance(policy.CheckInterval);
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), policy, _time.GetUtcNow()).State;
        }

        Assert.Equal(RolloutState.MaxVerdicts, state.Verdicts.Length);
        Assert.Equal(_time.GetUtcNow(), state.Verdicts[^1].At);
    }

    [Fact]
    public void Transitions_RecordEachPersistedChangeOnce()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;
        while (state.Status == RolloutStatus.Progressing)
        {
            _time.Advance(Policy.CheckInterval);
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), Policy, _time.GetUtcNow()).State;
        }

        Assert.Equal(
            [RolloutEventKind.Started, RolloutEventKind.StageAdvanced, RolloutEventKind.StageAdvanced, RolloutEventKind.StageAdvanced, RolloutEventKind.StageAdvanced, RolloutEventKind.Succeeded],
            state.Transitions.Select(t => t.Kind));
        Assert.Equal([0, 1, 2, 3, 4, 4], state.Transitions.Select(t => t.StageIndex));
    }

    private static HealthObservation Observe(long count, long errors, double p95) =>
        new(new MetricsComparison(
            new MetricsSnapshot { Count = count, Errors = errors, P95Ms = p95, P50Ms = p95 / 3, P99Ms = p95 * 1.5, AvgMs = p95 / 2 },
            new MetricsSnapshot { Count = 1000, Errors = 10, P95Ms = 40 }));
}
