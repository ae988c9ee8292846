using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Tests.Rollouts;

/// <summary>Blue-green and A/B in the decider: preview and experiment at weight 0, then all traffic at once.</summary>
public sealed class RolloutStrategyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HealthObservation Healthy = Observe(100, 1);
    private static readonly HealthObservation Failing = Observe(100, 40);

    private static readonly RolloutPolicy BlueGreen = new()
    {
        Strategy = Strategy.BlueGreen,
        Stages = [100],
        BakeTime = TimeSpan.FromSeconds(30),
        CheckInterval = TimeSpan.FromSeconds(10),
    };

    private static readonly RolloutPolicy AB = new()
    {
        Strategy = Strategy.AB,
        Stages = [100],
        Rules = [MatchRules.Parse("header:x-beta=1")],
        Iterations = 4,
        CheckInterval = TimeSpan.FromSeconds(10),
    };

    private static HealthObservation Observe(long count, long errors) =>
        new(new MetricsComparison(new MetricsSnapshot { Count = count, Errors = errors, P95Ms = 20 }, new MetricsSnapshot { Count = count, P95Ms = 20 }));

    private static (RolloutState State, List<RolloutDecision> Decisions) Run(RolloutPolicy policy, HealthObservation observation, int checks)
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, Start).State;
        var decisions = new List<RolloutDecision>();
        for (var i = 1; i <= checks && state.Status == RolloutStatus.Progressing; i++)
        {
            var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(observation), policy, Start + policy.CheckInterval * i);
            decisions.Add(decision);
            state = decision.State;
        }
        return (state, decisions);
    }

    [Fact]
    public void BlueGreen_Start_IsPreviewOnlyAtWeightZero()
    {
        var decision = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), BlueGreen, Start);

        Assert.Equal(RolloutStatus.Progressing, decision.State.Status);
        Assert.Equal(0, RolloutDecider.Weight(decision.State, BlueGreen));
        Assert.Contains("preview", decision.Events.Single().Message);
        var preview = Assert.Single(Assert.Single(BlueGreen.CanaryRules).Conditions);
        Assert.Equal((MatchSource.Header, "X-Aviary-Preview", MatchOperator.Exact, "1"), (preview.Source, preview.Name, preview.Operator, preview.Value));
    }

    [Fact]
    public void BlueGreen_HealthyPreviewForTheBake_WaitsForPromote_ThenSwitchesAllAtOnce()
    {
        var (state, _) = Run(BlueGreen, Healthy, 10);

        Assert.Equal(RolloutStatus.Paused, state.Status);
        Assert.Equal(PauseKind.Gate, state.PauseKind);
        Assert.Equal(0, RolloutDecider.Weight(state, BlueGreen));
        Assert.Throws<AviaryConflictException>(() => RolloutDecider.Decide(state, new RolloutCommand.Resume(), BlueGreen, Start + TimeSpan.FromMinutes(5)));

        var promoted = RolloutDecider.Decide(state, new RolloutCommand.Promote(false), BlueGreen, Start + TimeSpan.FromMinutes(5));
        Assert.Equal(RolloutStatus.Succeeded, promoted.State.Status);
        Assert.Equal(100, RolloutDecider.Weight(promoted.State, BlueGreen));
        Assert.Contains(promoted.Events, e => e.Kind == RolloutEventKind.Succeeded && e.Message.Contains("switched"));
    }

    [Fact]
    public void BlueGreen_AutoPromote_SwitchesAfterTheBake()
    {
        var policy = BlueGreen with { AutoPromote = true };

        var (state, decisions) = Run(policy, Healthy, 10);

        Assert.Equal(RolloutStatus.Succeeded, state.Status);
        Assert.Equal(3, decisions.Count); // checks at 10, 20, 30 s: the third completes the 30 s bake
    }

    [Fact]
    public void BlueGreen_FailingPreview_RollsBackWithoutEverTakingLiveTraffic()
    {
        var (state, decisions) = Run(BlueGreen, Failing, 10);

        Assert.Equal(RolloutStatus.RolledBack, state.Status);
        Assert.All(decisions, d => Assert.Equal(0, RolloutDecider.Weight(d.State, BlueGreen)));
    }

    [Fact]
    public void AB_RunsItsIterationsAtWeightZero_ThenTheCandidateTakesAllTraffic()
    {
        var (state, decisions) = Run(AB, Healthy, 10);

        Assert.Equal(RolloutStatus.Succeeded, state.Status);
        Assert.Equal(4, decisions.Count);
        Assert.All(decisions.SkipLast(1), d => Assert.Equal(0, RolloutDecider.Weight(d.State, AB)));
        Assert.Equal(TimeSpan.FromSeconds(40), AB.Bake);
    }

    [Fact]
    public void AB_FailingCandidate_RollsBack()
    {
        Assert.Equal(RolloutStatus.RolledBack, Run(AB, Failing, 10).State.Status);
    }

    [Fact]
    public void Validate_StrategyRules_NameTheOption()
    {
        Assert.Equal("match", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(AB with { Rules = [] })).Field);
        Assert.Equal("iterations", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(AB with { Iterations = 0 })).Field);
        Assert.Equal("stages", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(BlueGreen with { Stages = [10, 100] })).Field);
        Assert.Equal("strategy", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(BlueGreen with { Strategy = (Strategy)9 })).Field);
        Assert.Equal("switch-back-window", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(BlueGreen with { SwitchBackWindow = TimeSpan.FromSeconds(-1) })).Field);
        Assert.Equal("preview-header", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(BlueGreen with { PreviewHeader = "bad header" })).Field);
    }
}
