using Aviary.Deployments;
using Aviary.Grains.Models;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;

namespace Aviary.Tests.Models;

public sealed class ModelMonitorDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly WorkflowPlan Plan = new()
    {
        Name = "retrain",
        Tasks = [new TaskSpec { Id = "train", Agent = "trainer", Input = new() { ["data"] = "${input}" } }],
    };

    private static readonly ModelPolicy Policy = new()
    {
        ServingUrl = "http://127.0.0.1:9100",
        RetrainPlan = Plan,
        RetrainInput = "data/current.csv",
        QualityFloor = 0.5,
        MinLabels = 10,
        Margin = 0.05,
    };

    private static ModelView Model(ModelPolicy? policy = null, params string[] versions) => new()
    {
        Model = "price",
        Policy = policy ?? Policy,
        Versions = [.. (versions.Length == 0 ? ["v1", "v2"] : versions).Select(v => new ModelVersionView { Version = v, Task = "regression" })],
    };

    private static DeploymentView Serving(string stable, string? canary = null, string? rollout = null) =>
        new() { Service = "price", StableVersion = stable, CanaryVersion = canary, ActiveRolloutId = rollout };

    private static VersionTelemetry Live(string version, long labels = 0, double quality = 0, long pairs = 0, long agreeing = 0, long requests = 1_000) => new()
    {
        Version = version,
        Requests = requests,
        Quality = labels == 0 ? new() : new QualityFigures { Labels = labels, Metric = "r2", Value = quality },
        Agreement = new AgreementFigures { Compared = pairs, Agreeing = agreeing },
    };

    private static ModelTelemetryView Telemetry(params VersionTelemetry[] versions) => new() { Model = "price", Versions = versions };

    private static FeatureDrift Drift(string feature, double psi, bool drifted) =>
        new() { Feature = feature, Psi = psi, Band = psi >= 0.25 ? "significant" : "stable", Test = "ks", PValue = drifted ? 0.0001 : 0.5, Drifted = drifted, Live = 1_000 };

    private static MonitorFacts Facts(ModelView? model = null, DeploymentView? deployment = null, RolloutView? rollout = null, ModelTelemetryView? telemetry = null, FeatureDrift[]? drift = null, WorkflowView? run = null, DateTimeOffset? now = null) =>
        new(now ?? Now, model ?? Model(), deployment ?? Serving("v1"), rollout, telemetry ?? Telemetry(Live("v1")), drift, run);

    [Fact]
    public void Watching_Drift_StartsRetrainingOnce_AndTellsIt()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState(), Facts(drift: [Drift("distance", 0.4, true), Drift("rooms", 0.02, false)]));

        Assert.Equal(ModelPhases.Retraining, decision.State.Phase);
        Assert.Equal("price-retrain-20261202-100000", decision.State.RetrainRun);
        Assert.Equal(Now, decision.State.RetrainStartedAt);
        Assert.Contains("distance PSI 0.40", decision.State.RetrainReason);
        Assert.Collection(decision.Actions,
            a => Assert.Equal(ModelEventKind.DriftDetected, Assert.IsType<MonitorAction.Tell>(a).Kind),
            a => Assert.Equal("price-retrain-20261202-100000", Assert.IsType<MonitorAction.StartRetrain>(a).RunId),
            a => Assert.Equal(ModelEventKind.RetrainStarted, Assert.IsType<MonitorAction.Tell>(a).Kind));
    }

    [Fact]
    public void Watching_DriftWithinCooldown_IsToldOnceAndWaits()
    {
        var state = new ModelMonitorState { RetrainStartedAt = Now - TimeSpan.FromMinutes(10) };

        var first = ModelMonitorDecider.Decide(state, Facts(drift: [Drift("distance", 0.4, true)]));
        var second = ModelMonitorDecider.Decide(first.State, Facts(drift: [Drift("distance", 0.4, true)]));

        Assert.Equal(ModelPhases.Watching, first.State.Phase);
        Assert.Single(first.Actions.OfType<MonitorAction.Tell>(), t => t.Kind == ModelEventKind.DriftDetected);
        Assert.Contains("next may start after", first.Note);
        Assert.Empty(second.Actions);
    }

    [Fact]
    public void Watching_DriftWithoutPlan_IsReportedOnly()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState(), Facts(model: Model(Policy with { RetrainPlan = null }), drift: [Drift("distance", 0.4, true)]));

        Assert.Equal(ModelPhases.Watching, decision.State.Phase);
        Assert.Contains("no retrain plan", decision.Note);
        Assert.Single(decision.Actions);
    }

    [Fact]
    public void Watching_NoDriftJudged_SaysWhy()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState { Drifted = true }, Facts());

        Assert.Empty(decision.Actions);
        Assert.False(decision.State.Drifted);
        Assert.Contains("not judged", decision.Note);
    }

    [Fact]
    public void Watching_QualityAboveFloorWithEnoughLabels_MarksLastGood()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState(), Facts(telemetry: Telemetry(Live("v1", labels: 50, quality: 0.8))));

        Assert.Equal("v1", decision.State.LastGood);
    }

    [Fact]
    public void Watching_QualityBelowFloor_RollsBackToLastGood()
    {
        var state = new ModelMonitorState { LastGood = "v1" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v2"), telemetry: Telemetry(Live("v2", labels: 50, quality: 0.2))));

        var rollback = Assert.IsType<MonitorAction.Rollback>(decision.Actions[0]);
        Assert.Equal("v1", rollback.Version);
        Assert.Contains("below the floor 0.5", rollback.Reason);
        Assert.Equal(ModelEventKind.RolledBack, Assert.IsType<MonitorAction.Tell>(decision.Actions[1]).Kind);
    }

    [Fact]
    public void Watching_QualityBelowFloorWithTooFewLabels_WaitsForMore()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState { LastGood = "v1" }, Facts(deployment: Serving("v2"), telemetry: Telemetry(Live("v2", labels: 5, quality: 0.1))));

        Assert.Empty(decision.Actions);
        Assert.Equal("v1", decision.State.LastGood);
    }

    [Fact]
    public void Retraining_RunSucceeded_RegistersItsCard()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Retraining, RetrainRun = "r1" };
        var run = new WorkflowView { RunId = "r1", Status = WorkflowStatus.Succeeded, Tasks = [new TaskRun { Id = "train", Status = TaskRunStatus.Succeeded, ResultRef = "r1/train.1.card.json" }] };

        var decision = ModelMonitorDecider.Decide(state, Facts(run: run));

        var register = Assert.IsType<MonitorAction.RegisterCandidate>(Assert.Single(decision.Actions));
        Assert.Equal("r1/train.1.card.json", register.Card);
        Assert.Equal(ModelPhases.Watching, decision.State.Phase);
    }

    [Fact]
    public void Retraining_RunFailed_TellsWhichTaskAndWhy()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Retraining, RetrainRun = "r1" };
        var run = new WorkflowView
        {
            RunId = "r1",
            Status = WorkflowStatus.Failed,
            Tasks = [new TaskRun { Id = "validate", Status = TaskRunStatus.DeadLettered, ErrorKind = "ValidationFailed", Error = "price: 40 % missing" }, new TaskRun { Id = "train", Status = TaskRunStatus.Blocked }],
        };

        var decision = ModelMonitorDecider.Decide(state, Facts(run: run));

        var tell = Assert.IsType<MonitorAction.Tell>(Assert.Single(decision.Actions));
        Assert.Equal(ModelEventKind.RetrainFailed, tell.Kind);
        Assert.Contains("task validate failed (ValidationFailed: price: 40 % missing)", tell.Message);
        Assert.Equal(ModelPhases.Watching, decision.State.Phase);
    }

    [Fact]
    public void Retraining_RunStillGoing_Waits()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Retraining, RetrainRun = "r1" };
        var run = new WorkflowView { RunId = "r1", Status = WorkflowStatus.Running, Tasks = [new TaskRun { Id = "train", Status = TaskRunStatus.Running }] };

        Assert.Empty(ModelMonitorDecider.Decide(state, Facts(run: run)).Actions);
        Assert.Empty(ModelMonitorDecider.Decide(state, Facts(run: null)).Actions);
    }

    private static RolloutView Rollout(RolloutStatus status, int weight, string message = "") => new()
    {
        RolloutId = "price/2",
        Service = "price",
        Version = "v2",
        StableVersion = "v1",
        Status = status,
        Weight = weight,
        Policy = ModelServing.RolloutPolicy(Policy),
        Transitions = message.Length == 0 ? [] : [new StageTransition { Message = message }],
    };

    [Fact]
    public void Shadow_LowAgreement_AbortsTheCandidate()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Shadow, Candidate = "v2", RolloutId = "price/2" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v1", "v2", "price/2"), rollout: Rollout(RolloutStatus.Progressing, 0),
            telemetry: Telemetry(Live("v1"), Live("v2", pairs: 100, agreeing: 60))));

        var abort = Assert.IsType<MonitorAction.AbortCandidate>(Assert.Single(decision.Actions));
        Assert.Contains("agreed with v1 on 60 % of 100 shadowed requests, below 90 %", abort.Reason);
    }

    [Fact]
    public void Canary_QualityWorseThanServingByTheMargin_Aborts()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Canary, Candidate = "v2", RolloutId = "price/2" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v1", "v2", "price/2"), rollout: Rollout(RolloutStatus.Progressing, 25),
            telemetry: Telemetry(Live("v1", labels: 50, quality: 0.9), Live("v2", labels: 50, quality: 0.7))));

        Assert.Contains("worse than v1's 0.9", Assert.IsType<MonitorAction.AbortCandidate>(Assert.Single(decision.Actions)).Reason);
    }

    [Fact]
    public void Canary_HealthyAndLabelled_GoesOn()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Shadow, Candidate = "v2", RolloutId = "price/2" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v1", "v2", "price/2"), rollout: Rollout(RolloutStatus.Progressing, 25),
            telemetry: Telemetry(Live("v1", labels: 50, quality: 0.8), Live("v2", labels: 50, quality: 0.85))));

        Assert.Empty(decision.Actions);
        Assert.Equal(ModelPhases.Canary, decision.State.Phase);
        Assert.Contains("canary at 25 %", decision.Note);
    }

    [Fact]
    public void RolloutSucceeded_CandidateBecomesChampionAndLastGood()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Canary, Candidate = "v2", RolloutId = "price/2", LastGood = "v1" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v2"), rollout: Rollout(RolloutStatus.Succeeded, 100)));

        Assert.Equal("v2", Assert.IsType<MonitorAction.SetChampion>(decision.Actions[0]).Version);
        Assert.Equal(ModelEventKind.Promoted, Assert.IsType<MonitorAction.Tell>(decision.Actions[1]).Kind);
        Assert.Equal(new ModelMonitorState { Phase = ModelPhases.Watching, LastGood = "v2" }, decision.State);
    }

    [Fact]
    public void RolloutRolledBack_TellsTheRolloutsReason()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Canary, Candidate = "v2", RolloutId = "price/2", LastGood = "v1" };

        var decision = ModelMonitorDecider.Decide(state, Facts(rollout: Rollout(RolloutStatus.Aborted, 0, "v2 live r2 0.1 is below the floor 0.5")));

        var tell = Assert.IsType<MonitorAction.Tell>(Assert.Single(decision.Actions));
        Assert.Equal(ModelEventKind.RolledBack, tell.Kind);
        Assert.Contains("below the floor", tell.Message);
        Assert.Equal("v1", decision.State.LastGood);
        Assert.Null(decision.State.Candidate);
    }

    [Fact]
    public void Challenger_BetterByTheMargin_Wins()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Challenger, Candidate = "v2", LastGood = "v1" };
        var split = Serving("v1") with { Split = [new() { Version = "v1", Weight = 50 }, new() { Version = "v2", Weight = 50 }] };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: split, telemetry: Telemetry(Live("v1", labels: 20, quality: 0.7), Live("v2", labels: 20, quality: 0.8))));

        Assert.True(Assert.IsType<MonitorAction.EndChallenge>(decision.Actions[0]).ChallengerWon);
        Assert.Equal("v2", Assert.IsType<MonitorAction.SetChampion>(decision.Actions[1]).Version);
        Assert.Equal("v2", decision.State.LastGood);
    }

    [Fact]
    public void Challenger_WithinTheMarginOrTooFewLabels_SplitGoesOn()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Challenger, Candidate = "v2" };
        var split = Serving("v1") with { Split = [new() { Version = "v1", Weight = 50 }, new() { Version = "v2", Weight = 50 }] };

        Assert.Empty(ModelMonitorDecider.Decide(state, Facts(deployment: split, telemetry: Telemetry(Live("v1", labels: 20, quality: 0.7), Live("v2", labels: 20, quality: 0.72)))).Actions);
        Assert.Empty(ModelMonitorDecider.Decide(state, Facts(deployment: split, telemetry: Telemetry(Live("v1", labels: 20, quality: 0.7), Live("v2", labels: 5, quality: 0.99)))).Actions);
    }

    [Fact]
    public void Challenger_WorseByTheMargin_Loses()
    {
        var state = new ModelMonitorState { Phase = ModelPhases.Challenger, Candidate = "v2", LastGood = "v1" };
        var split = Serving("v1") with { Split = [new() { Version = "v1", Weight = 50 }, new() { Version = "v2", Weight = 50 }] };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: split, telemetry: Telemetry(Live("v1", labels: 20, quality: 0.8), Live("v2", labels: 20, quality: 0.7))));

        Assert.False(Assert.IsType<MonitorAction.EndChallenge>(decision.Actions[0]).ChallengerWon);
        Assert.Equal("v1", decision.State.LastGood);
    }

    [Fact]
    public void Watching_ARolloutStartedByHand_IsJudgedOnQualityToo()
    {
        var state = new ModelMonitorState { LastGood = "v1" };

        var decision = ModelMonitorDecider.Decide(state, Facts(deployment: Serving("v1", "v2", "price/2"), rollout: Rollout(RolloutStatus.Progressing, 25),
            telemetry: Telemetry(Live("v1", labels: 50, quality: 0.9), Live("v2", labels: 50, quality: 0.2))));

        Assert.Contains("below the floor 0.5", Assert.IsType<MonitorAction.AbortCandidate>(Assert.Single(decision.Actions)).Reason);
        Assert.Equal((ModelPhases.Canary, "v2", "price/2"), (decision.State.Phase, decision.State.Candidate, decision.State.RolloutId));
    }

    [Fact]
    public void Watching_ServingBelowFloorWithNothingToGoBackTo_StillRetrainsOnDrift()
    {
        var decision = ModelMonitorDecider.Decide(new ModelMonitorState { LastGood = "v1" },
            Facts(telemetry: Telemetry(Live("v1", labels: 50, quality: 0.1)), drift: [Drift("sqft", 0.9, true)]));

        Assert.Equal(ModelPhases.Retraining, decision.State.Phase);
        Assert.Contains(decision.Actions, a => a is MonitorAction.StartRetrain);
    }
}
