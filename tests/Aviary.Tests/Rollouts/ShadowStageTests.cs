using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Deployments;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Tests.Rollouts;

/// <summary>A canary whose first stage is 0 %: it answers copies of requests (a shadow) before it serves anyone.</summary>
public sealed class ShadowStageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPolicy ShadowFirst = new()
    {
        Stages = [0, 50, 100],
        BakeTime = TimeSpan.FromSeconds(30),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 5,
        MirrorPercent = 100,
        MaxMismatchRate = 1,
    };

    private static MetricsSnapshot Healthy(int count = 50) => new() { Count = count, P95Ms = 10, Window = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Validator_AcceptsAZeroFirstStageOnlyForACanaryWithMoreStages()
    {
        RolloutPolicyValidator.Validate(ShadowFirst);
        Assert.True(ShadowFirst.HasShadowStage);
        Assert.True(ShadowFirst.MirrorsAt(0));
        Assert.False(ShadowFirst.MirrorsAt(1));

        Assert.Equal("stages", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(ShadowFirst with { Stages = [0] })).Field);
        Assert.Equal("stages", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(ShadowFirst with { Stages = [10, 0, 100] })).Field);
        Assert.Equal("mirror-percent", Assert.Throws<AviaryValidationException>(() => RolloutPolicyValidator.Validate(ShadowFirst with { MirrorPercent = 0 })).Field);
        Assert.False(RolloutPolicy.Default.HasShadowStage);
    }

    [Fact]
    public void Decider_ShadowsFirst_ThenWalksTheCanaryStages()
    {
        var start = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), ShadowFirst, Now);
        Assert.Equal(0, RolloutDecider.Weight(start.State, ShadowFirst));
        Assert.Contains("shadow stage", start.Events[0].Message);

        var state = start.State;
        for (var t = 10; t <= 30; t += 10)
            state = RolloutDecider.Decide(state, new RolloutCommand.Check(new HealthObservation(new MetricsComparison(Healthy(), Healthy()), Healthy())), ShadowFirst, Now + TimeSpan.FromSeconds(t)).State;

        Assert.Equal(RolloutStatus.Progressing, state.Status);
        Assert.Equal(50, RolloutDecider.Weight(state, ShadowFirst));
    }

    [Fact]
    public void Decider_ShadowStageErrors_RollBackBeforeAnyClientSawTheVersion()
    {
        var state = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), ShadowFirst, Now).State;
        var failing = new MetricsSnapshot { Count = 50, Errors = 25, P95Ms = 10, Window = TimeSpan.FromSeconds(10) };

        var decision = RolloutDecider.Decide(state, new RolloutCommand.Check(new HealthObservation(new MetricsComparison(failing, Healthy()), Healthy())), ShadowFirst, Now + TimeSpan.FromSeconds(10));

        Assert.Equal(RolloutStatus.RolledBack, decision.State.Status);
    }

    [Fact]
    public void Route_MirrorsOnlyWhileTheCanaryIsAtItsShadowStage()
    {
        var state = DeploymentLedger.Deploy(new DeploymentState(), "price", "v1", ["http://127.0.0.1:9100/v/v1"], RolloutPolicy.Default, Now, out _);
        state = DeploymentLedger.Deploy(state, "price", "v2", ["http://127.0.0.1:9100/v/v2"], ShadowFirst, Now, out var id);

        var shadow = DeploymentRoute.Of("price", state);
        Assert.Equal(100, shadow.MirrorPercent);
        Assert.Equal(0, shadow.CanaryWeight);
        Assert.Equal("v2", shadow.Canary!.Version);

        state = DeploymentLedger.Apply(state, new RolloutUpdate { RolloutId = id!, Version = "v2", Status = RolloutStatus.Progressing, Weight = 50, At = Now });
        var canary = DeploymentRoute.Of("price", state);
        Assert.Equal(0, canary.MirrorPercent);
        Assert.Equal(50, canary.CanaryWeight);
    }

    [Fact]
    public void Route_APlainCanaryNeverMirrors()
    {
        var state = DeploymentLedger.Deploy(new DeploymentState(), "price", "v1", ["http://127.0.0.1:9100/v/v1"], RolloutPolicy.Default, Now, out _);
        state = DeploymentLedger.Deploy(state, "price", "v2", ["http://127.0.0.1:9100/v/v2"], RolloutPolicy.Default, Now, out _);

        Assert.Equal(0, DeploymentRoute.Of("price", state).MirrorPercent);
    }
}
