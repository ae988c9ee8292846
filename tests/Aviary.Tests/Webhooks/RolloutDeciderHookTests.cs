using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Webhooks;

/// <summary>The decider's confirm-promotion paths, without Orleans: a refusal holds, no answer is a failed check.</summary>
public sealed class RolloutDeciderHookTests
{
    private static readonly RolloutPolicy Policy = new()
    {
        Stages = [10, 50, 100],
        BakeTime = TimeSpan.Zero,
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
        FailureLimit = 2,
    };

    private static readonly HealthObservation Healthy = new(new MetricsComparison(
        new MetricsSnapshot { Count = 100, Errors = 1, P95Ms = 50 },
        new MetricsSnapshot { Count = 1000, Errors = 10, P95Ms = 40 }));

    private static readonly GateAnswer Refused = new() { Hook = "cab", StatusCode = 409, Body = "change freeze", Reason = "webhook 'cab' answered 409: change freeze" };
    private static readonly GateAnswer NoAnswer = new() { Hook = "cab", Failed = true, Reason = "webhook 'cab' did not answer in 5 s" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private RolloutState Started() => RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), Policy, _time.GetUtcNow()).State;

    private RolloutDecision CheckNext(RolloutState state, GateAnswer? answer)
    {
        _time.Advance(Policy.CheckInterval);
        return RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy with { Confirmation = answer }), Policy, _time.GetUtcNow());
    }

    [Fact]
    public void HealthyCheck_WithoutAnswer_MovesStage_SoHooksAreAsked()
    {
        var state = Started();
        var decision = CheckNext(state, null);

        Assert.Equal(1, decision.State.StageIndex);
        Assert.True(RolloutDecider.MovesStage(state, decision.State));
    }

    [Fact]
    public void Check_Refused_HoldsAtStageWithReason_RecordedOnce()
    {
        var first = CheckNext(Started(), Refused);

        Assert.Equal(RolloutStatus.Progressing, first.State.Status);
        Assert.Equal(0, first.State.StageIndex);
        Assert.Equal(0, first.State.ConsecutiveFailures);
        Assert.True(first.Persist);
        Assert.Equal("held at 10 %: webhook 'cab' answered 409: change freeze", first.State.Transitions[^1].Message);
        Assert.Contains(first.Events, e => e.Kind == RolloutEventKind.CheckCompleted && e.Message == "held at 10 %: webhook 'cab' answered 409: change freeze");

        var second = CheckNext(first.State, Refused);

        Assert.Equal(0, second.State.StageIndex);
        Assert.False(second.Persist);
        Assert.Equal(first.State.Transitions.Length, second.State.Transitions.Length);
        Assert.Equal(first.State.LastCheckAt + Policy.CheckInterval, second.State.LastCheckAt);
    }

    [Fact]
    public void Check_RefusedThenPassed_Advances()
    {
        var held = CheckNext(Started(), Refused);
        var passed = CheckNext(held.State, GateAnswer.Pass);

        Assert.Equal(1, passed.State.StageIndex);
        Assert.Equal(50, RolloutDecider.Weight(passed.State, Policy));
        Assert.Contains(passed.Events, e => e.Kind == RolloutEventKind.StageAdvanced);
    }

    [Fact]
    public void Check_NoAnswer_CountsFailedCheck_ThenRollsBackAtFailureLimit()
    {
        var first = CheckNext(Started(), NoAnswer);

        Assert.Equal(RolloutStatus.Progressing, first.State.Status);
        Assert.Equal(1, first.State.ConsecutiveFailures);
        Assert.True(first.Persist);
        Assert.Equal("check failed: webhook 'cab' did not answer in 5 s (1 of 2 allowed in a row)", first.State.Transitions[^1].Message);

        var second = CheckNext(first.State, NoAnswer);

        Assert.Equal(RolloutStatus.RolledBack, second.State.Status);
        Assert.Equal(0, RolloutDecider.Weight(second.State, Policy));
        Assert.Equal("rolled back: webhook 'cab' did not answer in 5 s (2 failed check(s) in a row)", second.State.Transitions[^1].Message);
        Assert.Contains(second.Events, e => e.Kind == RolloutEventKind.RolledBack);
    }

    [Fact]
    public void Check_NoAnswerThenHealthyPass_ClearsTheFailureCount()
    {
        var failed = CheckNext(Started(), NoAnswer);
        var passed = CheckNext(failed.State, GateAnswer.Pass);

        Assert.Equal(1, passed.State.StageIndex);
        Assert.Equal(0, passed.State.ConsecutiveFailures);
    }

    [Fact]
    public void Check_UnhealthyWithRefusal_IsJudgedUnhealthy_TheHookIsNotTheReason()
    {
        var state = Started();
        _time.Advance(Policy.CheckInterval);
        var sick = Healthy with { Windows = Healthy.Windows with { Canary = new MetricsSnapshot { Count = 100, Errors = 50, P95Ms = 50 } }, Confirmation = Refused };
        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(sick), Policy, _time.GetUtcNow());

        Assert.Equal(1, decision.State.ConsecutiveFailures);
        Assert.DoesNotContain(decision.State.Transitions, t => t.Message.Contains("cab", StringComparison.Ordinal));
    }

    [Fact]
    public void MovesStage_GatePauseOrRollback_IsNoMove()
    {
        var gated = Policy with { Gates = [50] };
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), gated, _time.GetUtcNow()).State;
        _time.Advance(Policy.CheckInterval);
        var paused = RolloutDecider.Decide(state, new RolloutCommand.Check(Healthy), gated, _time.GetUtcNow()).State;
        var aborted = RolloutDecider.Decide(state, new RolloutCommand.Abort("stop"), gated, _time.GetUtcNow()).State;

        Assert.Equal(RolloutStatus.Paused, paused.Status);
        Assert.False(RolloutDecider.MovesStage(state, paused));
        Assert.False(RolloutDecider.MovesStage(state, aborted));
        Assert.True(RolloutDecider.MovesStage(paused, RolloutDecider.Decide(paused, new RolloutCommand.Promote(false), gated, _time.GetUtcNow()).State));
    }
}
