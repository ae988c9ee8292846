using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Rollouts;
using Aviary.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class RolloutClusterTests(ClusterFixture fixture)
{
    private readonly RolloutOperations _ops = new(fixture.Client);

    [Fact]
    public async Task Rollout_HealthyCanary_WalksEveryStageAndBecomesStable()
    {
        var service = RolloutDriver.UniqueService("walk");
        var driver = new RolloutDriver(fixture.Client, fixture.Time, service, RolloutDriver.FastPolicy);
        await using var probe = await EventProbe.SubscribeAsync(fixture.Client, service);
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);

        var started = await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy);
        Assert.Equal(RolloutStatus.Progressing, started.Rollout!.Status);
        Assert.Equal(10, started.Deployment.CanaryWeight);

        var weights = new List<int>();
        for (var check = 1; check <= 8; check++)
        {
            await driver.FeedAsync("v2", 100, 0.01, 40);
            await driver.FeedAsync("v1", 100, 0.01, 40);
            var verdict = await driver.CheckAsync(probe, check);
            Assert.Equal(VerdictResult.Healthy, verdict.Result);
            weights.Add((await _ops.GetDeploymentAsync(service)).CanaryWeight);
        }
        await probe.WaitForAsync(RolloutEventKind.Succeeded, phase: "after the 8th check");

        Assert.Equal([10, 25, 25, 50, 50, 75, 75, 0], weights);
        Assert.Equal(
            [
                RolloutEventKind.Started,
                RolloutEventKind.CheckCompleted, RolloutEventKind.CheckCompleted, RolloutEventKind.StageAdvanced,
                RolloutEventKind.CheckCompleted, RolloutEventKind.CheckCompleted, RolloutEventKind.StageAdvanced,
                RolloutEventKind.CheckCompleted, RolloutEventKind.CheckCompleted, RolloutEventKind.StageAdvanced,
                RolloutEventKind.CheckCompleted, RolloutEventKind.CheckCompleted, RolloutEventKind.StageAdvanced,
                RolloutEventKind.Succeeded,
            ],
            probe.Kinds);
        Assert.Equal([25, 50, 75, 100], probe.Events.Where(e => e.Kind == RolloutEventKind.StageAdvanced).Select(e => e.Weight));

        var deployment = await _ops.GetDeploymentAsync(service);
        Assert.Equal("v2", deployment.StableVersion);
        Assert.Null(deployment.ActiveRolloutId);
        Assert.Equal(ReleaseOutcome.Succeeded, deployment.Releases[^1].Outcome);
        var rollout = await fixture.Client.GetGrain<IRolloutGrain>(started.Rollout.RolloutId).GetAsync();
        Assert.Equal(RolloutStatus.Succeeded, rollout.Status);
        Assert.Equal(Math.Min(8, Aviary.Grains.Rollouts.RolloutState.MaxVerdicts), rollout.Verdicts.Length);
    }

    [Fact]
    public async Task Rollout_ErrorRateBreach_RollsBackToStable()
    {
        var service = RolloutDriver.UniqueService("breach");
        var driver = new RolloutDriver(fixture.Client, fixture.Time, service, RolloutDriver.FastPolicy);
        await using var probe = await EventProbe.SubscribeAsync(fixture.Client, service);
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        var started = await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy);

        await driver.FeedAsync("v2", 100, 0.40, 40);
        await driver.FeedAsync("v1", 100, 0.01, 40);
        var verdict = await driver.CheckAsync(probe, 1);
        var rolledBack = await probe.WaitForAsync(RolloutEventKind.RolledBack, phase: "after an unhealthy check");

        Assert.Equal(VerdictResult.Unhealthy, verdict.Result);
        Assert.Equal(100, verdict.Canary.Count);
        Assert.Equal(40, verdict.Canary.Errors);
        Assert.Equal(100, verdict.Stable.Count);
        Assert.Equal(0, rolledBack.Weight);
        Assert.Equal([RolloutEventKind.Started, RolloutEventKind.CheckCompleted, RolloutEventKind.RolledBack], probe.Kinds);

        var deployment = await _ops.GetDeploymentAsync(service);
        Assert.Equal("v1", deployment.StableVersion);
        Assert.Null(deployment.ActiveRolloutId);
        Assert.Equal(0, deployment.CanaryWeight);
        Assert.Equal(ReleaseOutcome.RolledBack, deployment.Releases[^1].Outcome);
        Assert.Equal(RolloutStatus.RolledBack, (await fixture.Client.GetGrain<IRolloutGrain>(started.Rollout!.RolloutId).GetAsync()).Status);
    }

    [Fact]
    public async Task OperatorCommands_PauseResumePromoteFullThenUndo()
    {
        var service = RolloutDriver.UniqueService("ops");
        await using var probe = await EventProbe.SubscribeAsync(fixture.Client, service);
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy);

        var paused = await _ops.PauseAsync(service, "looking at dashboards");
        Assert.Equal(RolloutStatus.Paused, paused.Status);
        Assert.Equal("looking at dashboards", paused.PauseReason);
        var resumed = await _ops.ResumeAsync(service);
        Assert.Equal(RolloutStatus.Progressing, resumed.Status);
        var promoted = await _ops.PromoteAsync(service, full: false);
        Assert.Equal(25, promoted.Weight);
        Assert.Equal(25, (await _ops.GetDeploymentAsync(service)).CanaryWeight);
        var done = await _ops.PromoteAsync(service, full: true);
        Assert.Equal(RolloutStatus.Succeeded, done.Status);
        await probe.WaitForAsync(RolloutEventKind.Succeeded);

        Assert.Equal("v2", (await _ops.GetDeploymentAsync(service)).StableVersion);
        var undone = await _ops.UndoAsync(service);
        Assert.Equal("v1", undone.StableVersion);
        Assert.Equal(ReleaseOutcome.Undone, undone.Releases[^1].Outcome);
        Assert.Equal(
            [RolloutEventKind.Started, RolloutEventKind.Paused, RolloutEventKind.Resumed, RolloutEventKind.Promoted,
             RolloutEventKind.StageAdvanced, RolloutEventKind.Promoted, RolloutEventKind.Succeeded],
            probe.Kinds);
    }

    [Fact]
    public async Task Rollout_ThroughItsLife_HasNoReminderOfItsOwn_OnlyItsKeepersOne()
    {
        // Rollouts are woken by their partition's keeper; nothing registers a reminder for a rollout grain.
        var service = RolloutDriver.UniqueService("reminders");
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        var rolloutId = (await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy)).Rollout!.RolloutId;
        var rollout = fixture.Client.GetGrain<IRolloutGrain>(rolloutId).GetGrainId();
        var keeper = RolloutKeeperGrain.For(fixture.Client, rolloutId);

        var ownAtStart = await reminders.ReadRows(rollout);
        Assert.Contains(rolloutId, await keeper.ListAsync());
        Assert.Equal(["rollout-keeper"], (await reminders.ReadRows(keeper.GetGrainId())).Reminders.Select(r => r.ReminderName));

        await _ops.PauseAsync(service, "a look");
        await _ops.ResumeAsync(service);
        await _ops.PromoteAsync(service, full: false);
        Assert.Equal(RolloutStatus.Succeeded, (await _ops.PromoteAsync(service, full: true)).Status);

        Assert.Empty(ownAtStart.Reminders);
        Assert.Empty((await reminders.ReadRows(rollout)).Reminders);
        Assert.DoesNotContain(rolloutId, await keeper.ListAsync());
    }

    [Fact]
    public async Task Abort_SendsTrafficBackToStableNow()
    {
        var service = RolloutDriver.UniqueService("abort");
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy);

        var aborted = await _ops.AbortAsync(service, "wrong build");

        Assert.Equal(RolloutStatus.Aborted, aborted.Status);
        var deployment = await _ops.GetDeploymentAsync(service);
        Assert.Equal("v1", deployment.StableVersion);
        Assert.Equal(0, deployment.CanaryWeight);
        Assert.Null(deployment.ActiveRolloutId);
        Assert.Equal(ReleaseOutcome.Aborted, deployment.Releases[^1].Outcome);
        // The service is free again.
        var next = await _ops.DeployAsync(service, "v3", RolloutDriver.FastPolicy);
        Assert.Equal($"{service}/2", next.Rollout!.RolloutId);
    }

    [Fact]
    public async Task Deploy_WhileRolloutRuns_IsRefusedAndChangesNothing()
    {
        var service = RolloutDriver.UniqueService("twice");
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        await _ops.DeployAsync(service, "v2", RolloutDriver.FastPolicy);
        var before = await _ops.GetDeploymentAsync(service);

        var error = await Assert.ThrowsAsync<AviaryConflictException>(() => _ops.DeployAsync(service, "v3", RolloutDriver.FastPolicy));

        Assert.Equal("service", error.Field);
        Assert.Contains($"already rolling out v2 ({service}/1)", error.Rule);
        var after = await _ops.GetDeploymentAsync(service);
        Assert.Equal(before.ActiveRolloutId, after.ActiveRolloutId);
        Assert.Equal(before.Releases.Length, after.Releases.Length);
        Assert.Equal("v2", after.CanaryVersion);
    }

    public static TheoryData<string, string> BadPolicies => new()
    {
        { "stages-not-rising", "stages" },
        { "stages-not-ending-at-100", "stages" },
        { "stages-over-100", "stages" },
        { "negative-interval", "interval" },
        { "negative-bake", "bake" },
        { "error-rate-above-1", "max-error-rate" },
        { "error-rate-below-0", "max-error-rate" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Deploy_BadPolicyStraightToGrain_IsRefusedAndChangesNothing(string name, string field)
    {
        var policy = name switch
        {
            "stages-not-rising" => RolloutDriver.FastPolicy with { Stages = [10, 50, 25, 100] },
            "stages-not-ending-at-100" => RolloutDriver.FastPolicy with { Stages = [10, 50] },
            "stages-over-100" => RolloutDriver.FastPolicy with { Stages = [10, 150] },
            "negative-interval" => RolloutDriver.FastPolicy with { CheckInterval = TimeSpan.FromSeconds(-1) },
            "negative-bake" => RolloutDriver.FastPolicy with { BakeTime = TimeSpan.FromSeconds(-1) },
            "error-rate-above-1" => RolloutDriver.FastPolicy with { MaxErrorRate = 1.01 },
            _ => RolloutDriver.FastPolicy with { MaxErrorRate = -0.5 },
        };
        var service = RolloutDriver.UniqueService("bad");
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);
        var grain = fixture.Client.GetGrain<IDeploymentGrain>(service);

        var error = await Assert.ThrowsAsync<AviaryValidationException>(() => grain.DeployAsync("v2", policy));

        Assert.Equal(field, error.Field);
        var after = await grain.GetAsync();
        Assert.Equal("v1", after!.StableVersion);
        Assert.Null(after.ActiveRolloutId);
        Assert.Single(after.Releases);
    }

    [Fact]
    public async Task Deploy_EmptyServiceName_IsRefusedAndNothingIsListed()
    {
        var before = await _ops.ListAsync();

        var error = await Assert.ThrowsAsync<AviaryValidationException>(() => _ops.DeployAsync("", "v1", RolloutPolicy.Default));
        // Orleans itself refuses an empty key; a grain reached with a bad name refuses it too.
        var direct = await Assert.ThrowsAsync<AviaryValidationException>(() => fixture.Client.GetGrain<IDeploymentGrain>("Bad Name!").DeployAsync("v1", RolloutPolicy.Default));

        Assert.Equal("service", error.Field);
        Assert.Equal("must not be empty", error.Rule);
        Assert.Equal("service", direct.Field);
        Assert.Equal(before.Length, (await _ops.ListAsync()).Length);
        Assert.Null(await fixture.Client.GetGrain<IDeploymentGrain>("Bad Name!").GetAsync());
    }

    [Fact]
    public async Task PromoteOrAbort_UnknownService_IsNotFoundAndCreatesNothing()
    {
        var service = RolloutDriver.UniqueService("ghost");

        var promote = await Assert.ThrowsAsync<AviaryNotFoundException>(() => _ops.PromoteAsync(service, false));
        var abort = await Assert.ThrowsAsync<AviaryNotFoundException>(() => _ops.AbortAsync(service, ""));

        Assert.Equal("service", promote.Field);
        Assert.Equal($"no deployment named '{service}'", abort.Rule);
        Assert.Null(await fixture.Client.GetGrain<IDeploymentGrain>(service).GetAsync());
        Assert.DoesNotContain((await _ops.ListAsync()), d => d.Service == service);
    }

    [Fact]
    public async Task Promote_ServiceWithoutActiveRollout_IsAConflict()
    {
        var service = RolloutDriver.UniqueService("idle");
        await _ops.DeployAsync(service, "v1", RolloutDriver.FastPolicy);

        var error = await Assert.ThrowsAsync<AviaryConflictException>(() => _ops.PromoteAsync(service, false));

        Assert.Equal($"'{service}' has no active rollout", error.Rule);
    }
}
