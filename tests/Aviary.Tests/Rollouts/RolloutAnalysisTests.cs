using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;
using static Aviary.Tests.Rollouts.CanaryJudgeTests;

namespace Aviary.Tests.Rollouts;

/// <summary>The decider with <c>--analysis compare|both</c> and <c>--dry-run</c>.</summary>
public sealed class RolloutAnalysisTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static RolloutPolicy Policy(Analysis analysis, bool dryRun = false) => new()
    {
        BakeTime = TimeSpan.FromSeconds(60),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 50,
        Analysis = analysis,
        DryRun = dryRun,
    };

    // Within every threshold (errors 2 % < 10 %, p95 ~ 50 ms < 200 ms) but clearly worse than stable.
    private static readonly HealthObservation WorseThanStable = new(new MetricsComparison(Window(1000, 30, 0.02, 1), Window(4000, 15, 0.002, 2)));
    private static readonly HealthObservation LikeStable = new(new MetricsComparison(Window(1000, 15, 0.002, 3), Window(4000, 15, 0.002, 4)));
    private static readonly HealthObservation NoStable = new(new MetricsComparison(Window(1000, 15, 0.002, 5), Window(10, 15, 0, 6)));

    private static RolloutDecision CheckOnce(RolloutPolicy policy, HealthObservation observation)
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, Start).State;
        return RolloutDecider.Decide(state, new RolloutCommand.Check(observation), policy, Start + policy.CheckInterval);
    }

    [Fact]
    public void Threshold_CanaryWorseThanStableButWithinLimits_IsHealthy()
    {
        Assert.Equal(VerdictResult.Healthy, CheckOnce(Policy(Analysis.Threshold), WorseThanStable).State.Verdicts.Single().Result);
    }

    [Theory]
    [InlineData(Analysis.Compare)]
    [InlineData(Analysis.Both)]
    public void CompareOrBoth_CanaryWorseThanStable_RollsBackNamingTheFiguresAndP(Analysis analysis)
    {
        var decision = CheckOnce(Policy(analysis), WorseThanStable);

        Assert.Equal(RolloutStatus.RolledBack, decision.State.Status);
        var check = decision.Events.First(e => e.Kind == RolloutEventKind.CheckCompleted);
        Assert.Equal(VerdictResult.Unhealthy, check.Verdict!.Result);
        Assert.Contains("vs stable", check.Message);
        Assert.Contains("p < 0.001", check.Message);
        Assert.NotNull(check.Verdict.Comparison);
        Assert.Empty(check.Verdict.Canary.Buckets); // histograms are not stored
    }

    [Fact]
    public void Compare_LikeStable_IsHealthyAndShowsTheComparison()
    {
        var decision = CheckOnce(Policy(Analysis.Compare), LikeStable);
        var verdict = decision.Events.First().Verdict!;

        Assert.Equal(VerdictResult.Healthy, verdict.Result);
        Assert.Contains("vs stable", verdict.Reason);
        Assert.Equal(Judgement.Pass, verdict.Comparison!.Result);
    }

    [Fact]
    public void Compare_TooLittleStableTraffic_IsInconclusiveNeverHealthy()
    {
        var decision = CheckOnce(Policy(Analysis.Compare), NoStable);

        Assert.Equal(VerdictResult.Inconclusive, decision.Events.First().Verdict!.Result);
        Assert.Contains("stable samples", decision.Events.First().Message);
    }

    [Fact]
    public void Both_ThresholdBroken_IsUnhealthyEvenWhenLikeStable()
    {
        var bad = new HealthObservation(new MetricsComparison(Window(1000, 15, 0.3, 7), Window(4000, 15, 0.3, 8)));

        Assert.Equal(RolloutStatus.RolledBack, CheckOnce(Policy(Analysis.Both), bad).State.Status);
        Assert.Equal(RolloutStatus.Progressing, CheckOnce(Policy(Analysis.Compare), bad).State.Status);
    }

    [Fact]
    public void DryRun_UnhealthyChecks_AreShownButNothingRollsBackOrAdvances()
    {
        var policy = Policy(Analysis.Both, dryRun: true);
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), policy, Start).State;
        var now = Start;
        for (var i = 0; i < 20; i++)
        {
            now += policy.CheckInterval;
            var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(i % 2 == 0 ? WorseThanStable : LikeStable), policy, now);
            Assert.False(decision.Persist);
            Assert.Equal([RolloutEventKind.CheckCompleted], decision.Events.Select(e => e.Kind));
            Assert.StartsWith("dry run", decision.Events[0].Message);
            state = decision.State;
        }

        Assert.Equal(RolloutStatus.Progressing, state.Status);
        Assert.Equal(0, state.StageIndex);
        Assert.True(state.Verdicts.All(v => v.DryRun));
    }

    [Fact]
    public void Validate_BadAnalysisSettings_NameTheOption()
    {
        Assert.Equal("confidence", Assert.Throws<Aviary.Errors.AviaryValidationException>(() => RolloutPolicyValidator.Validate(new RolloutPolicy { Confidence = 1 })).Field);
        Assert.Equal("tolerance", Assert.Throws<Aviary.Errors.AviaryValidationException>(() => RolloutPolicyValidator.Validate(new RolloutPolicy { Tolerance = -0.1 })).Field);
        Assert.Equal("analysis", Assert.Throws<Aviary.Errors.AviaryValidationException>(() => RolloutPolicyValidator.Validate(new RolloutPolicy { Analysis = (Analysis)7 })).Field);
    }
}
