using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Webhooks;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Models;

/// <summary>
/// The shell around <see cref="ModelMonitorDecider"/>: on a timer, gathers the model, its
/// service's deployment, the live figures and the drift of the serving version, asks the decider,
/// stores the new state, then acts (a retraining run, a registration, a rollout, an abort, an
/// alias) and tells (the model's log, the audit log, webhooks). A reminder brings it back after
/// a restart; the decider's state says where it was.
/// </summary>
public sealed partial class ModelMonitorGrain(
    [PersistentState("monitor", Names.Storage)] IPersistentState<ModelMonitorState> store,
    AviaryClock clock,
    IModelArtifacts artifacts,
    IModelAudit audit,
    ILogger<ModelMonitorGrain> logger) : Grain, IModelMonitorGrain, IRemindable
{
    public const string By = "aviary:model-monitor";
    private const string ReminderName = "model-monitor";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;
    private TimeSpan _interval;
    private ModelMonitorView _last = new();

    private string Model => this.GetPrimaryKeyString();

    private RolloutOperations Operations => new(GrainFactory);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await GrainFactory.GetGrain<IModelGrain>(Model).GetAsync() is { HasPolicy: true } model)
            Arm(model.Policy.CheckInterval);
    }

    async Task IModelMonitorGrain.WatchAsync()
    {
        var model = await GetModelAsync();
        Arm(model.Policy.CheckInterval);
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
    }

    async Task IModelMonitorGrain.StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
        await store.ClearStateAsync();
        store.State = new ModelMonitorState();
        _last = new ModelMonitorView();
        this.DeactivateOnIdle();
    }

    Task<ModelMonitorView> IModelMonitorGrain.GetAsync() => Task.FromResult(_last with { Model = Model, Phase = store.State.Phase, RetrainRun = store.State.RetrainRun, Candidate = store.State.Candidate, RolloutId = store.State.RolloutId, LastGood = store.State.LastGood });

    async Task<ModelMonitorView> IModelMonitorGrain.CheckAsync()
    {
        await CheckAsync();
        return await ((IModelMonitorGrain)this).GetAsync();
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activation arms the timer

    private void Arm(TimeSpan interval)
    {
        if (_timer is not null && interval == _interval)
            return;
        _timer?.Dispose();
        _interval = interval;
        _timer = this.RegisterGrainTimer(async _ =>
        {
            try
            {
                await CheckAsync();
            }
            catch (Exception ex)
            {
                LogCheckFailed(logger, ex, Model);
                _last = _last with { Note = $"check failed: {ex.Message}" };
            }
        }, new GrainTimerCreationOptions(interval, interval) { Interleave = false, KeepAlive = true });
    }

    private async Task<ModelView> GetModelAsync() =>
        await GrainFactory.GetGrain<IModelGrain>(Model).GetAsync() ?? throw new AviaryNotFoundException("model", $"no model '{Model}'");

    private async Task CheckAsync()
    {
        var model = await GetModelAsync();
        if (!model.HasPolicy)
        {
            _last = _last with { Note = "no policy set: nothing to watch (aviary model policy)" };
            return;
        }
        Arm(model.Policy.CheckInterval);
        var facts = await GatherAsync(model);
        var decision = ModelMonitorDecider.Decide(store.State, facts);
        if (decision.State != store.State)
            await store.WriteOrRevertAsync(decision.State);
        _last = new ModelMonitorView
        {
            Serving = facts.Deployment?.StableVersion is { Length: > 0 } serving ? serving : null,
            LastCheckAt = facts.Now,
            Drift = facts.Drift ?? [],
            Drifted = facts.Drift?.Any(f => f.Drifted) ?? false,
            Note = decision.Note,
        };
        foreach (var action in decision.Actions)
            await ActAsync(model, action);
    }

    private async Task<MonitorFacts> GatherAsync(ModelView model)
    {
        var policy = model.Policy;
        var service = policy.ServiceFor(Model);
        DeploymentView? deployment = null;
        try
        {
            deployment = await Operations.GetDeploymentAsync(service);
        }
        catch (AviaryNotFoundException)
        {
            // Nothing deployed yet.
        }
        var telemetry = await GrainFactory.GetGrain<IModelTelemetryGrain>(Model).GetAsync(policy.Window, policy.AgreementTolerance);
        FeatureDrift[]? drift = null;
        if (deployment?.StableVersion is { Length: > 0 } serving && model.Find(serving) is { } version && telemetry.Find(serving) is { } live)
            drift = ModelDrift.Judge(await GrainFactory.GetGrain<IModelGrain>(Model).GetReferenceAsync(version.Version), live, policy);
        // The candidate's rollout; or one started by hand, which the monitor judges too.
        var rolloutId = store.State.RolloutId ?? deployment?.ActiveRolloutId;
        RolloutView? rollout = null;
        if (rolloutId is not null)
        {
            try
            {
                rollout = await GrainFactory.GetGrain<IRolloutGrain>(rolloutId).GetAsync();
            }
            catch (AviaryNotFoundException)
            {
                // Queued by the guardrails: its rollout starts later.
            }
        }
        var run = store.State.RetrainRun is { } runId && store.State.Phase == ModelPhases.Retraining
            ? await GrainFactory.GetGrain<IWorkflowGrain>(runId).GetAsync()
            : null;
        return new MonitorFacts(clock.Now, model, deployment, rollout, telemetry, drift, run);
    }

    private async Task ActAsync(ModelView model, MonitorAction action)
    {
        var policy = model.Policy;
        var service = policy.ServiceFor(Model);
        switch (action)
        {
            case MonitorAction.StartRetrain start:
                var deployment = await Operations.GetDeploymentAsync(service);
                var plan = RetrainPlans.Resolve(policy.RetrainPlan!, policy.RetrainInput, model.Find(deployment.StableVersion));
                await GrainFactory.GetGrain<IWorkflowGrain>(start.RunId).StartAsync(plan);
                break;
            case MonitorAction.RegisterCandidate register:
                await RegisterAndRollOutAsync(model, register);
                break;
            case MonitorAction.AbortCandidate abort:
                await TryAsync(() => Operations.AbortAsync(service, abort.Reason), $"abort the rollout of {store.State.Candidate}");
                break;
            case MonitorAction.Rollback rollback:
                await RollbackAsync(policy, service, rollback);
                break;
            case MonitorAction.EndChallenge end:
                await EndChallengeAsync(policy, service, end);
                break;
            case MonitorAction.SetChampion champion:
                await GrainFactory.GetGrain<IModelGrain>(Model).SetAliasAsync(ModelAliases.Champion, champion.Version, By, champion.Reason);
                break;
            case MonitorAction.Tell tell:
                await TellAsync(service, tell.Kind, tell.Version, tell.Message);
                break;
        }
    }

    /// <summary>Registers the retrained version, scores it against the serving one on its held-out rows, and rolls it out when it is better by the margin.</summary>
    private async Task RegisterAndRollOutAsync(ModelView model, MonitorAction.RegisterCandidate register)
    {
        var policy = model.Policy;
        var service = policy.ServiceFor(Model);
        var (draft, reference) = await artifacts.ReadCardAsync(register.Card);
        var registered = await GrainFactory.GetGrain<IModelGrain>(Model).RegisterAsync(
            draft with { RegisteredBy = By, Reason = $"retrained by run {register.Run} on {store.State.RetrainReason}" }, reference);
        var deployment = await Operations.GetDeploymentAsync(service);
        if (model.Find(deployment.StableVersion) is not { } serving)
        {
            await TellAsync(service, ModelEventKind.RetrainNotBetter, registered.Version, $"{registered.Version} registered; {service} serves no registered version to compare it with, so it is not rolled out");
            return;
        }
        var comparison = await artifacts.CompareAsync(Model, serving, registered, policy.Margin, null);
        if (!comparison.ChallengerBetter)
        {
            await TellAsync(service, ModelEventKind.RetrainNotBetter, registered.Version, $"{registered.Version} is not rolled out: {comparison.Reason}");
            return;
        }
        var destination = ModelServing.Destination(policy.ServingUrl, registered.Version);
        if (policy.Rollout == ModelRollouts.Challenger)
        {
            await store.WriteOrRevertAsync(store.State with { Phase = ModelPhases.Challenger, Candidate = registered.Version, RolloutId = null });
            await Operations.SplitAsync(service,
                [new() { Version = serving.Version, Weight = 100 - policy.ChallengerWeight }, new() { Version = registered.Version, Weight = policy.ChallengerWeight }],
                [new() { Version = registered.Version, Destinations = [destination] }]);
            await TellAsync(service, ModelEventKind.RolloutStarted, registered.Version,
                $"{registered.Version} challenges {serving.Version} on {policy.ChallengerWeight} % of users: {comparison.Reason}");
            return;
        }
        var rolloutPolicy = ModelServing.RolloutPolicy(policy);
        // The phase is stored before the deploy: a crash between the two is found at the next check (no rollout of the candidate).
        await store.WriteOrRevertAsync(store.State with
        {
            Phase = rolloutPolicy.HasShadowStage ? ModelPhases.Shadow : ModelPhases.Canary,
            Candidate = registered.Version,
            RolloutId = null,
        });
        var result = await Operations.DeployAsync(service, new DeployCommand
        {
            Version = registered.Version,
            Destinations = [destination],
            Policy = rolloutPolicy,
            RequestedBy = By,
        });
        await store.WriteOrRevertAsync(store.State with { RolloutId = result.Rollout?.RolloutId ?? result.Deployment.Queued?.RolloutId });
        await TellAsync(service, ModelEventKind.RolloutStarted, registered.Version,
            $"{registered.Version} rolling out ({(rolloutPolicy.HasShadowStage ? "shadow, then canary" : "canary")}, rollout {store.State.RolloutId}): {comparison.Reason}");
    }

    private async Task RollbackAsync(ModelPolicy policy, string service, MonitorAction.Rollback rollback)
    {
        var deployment = await Operations.GetDeploymentAsync(service);
        if (deployment.ActiveRolloutId is not null)
            await TryAsync(() => Operations.AbortAsync(service, rollback.Reason), "abort the rollout in progress");
        await TryAsync(() => Operations.DeployAsync(service, new DeployCommand
        {
            Version = rollback.Version,
            Destinations = string.IsNullOrEmpty(policy.ServingUrl) ? [] : [ModelServing.Destination(policy.ServingUrl, rollback.Version)],
            Policy = RolloutPolicy.Default with { Stages = [100] },
            RequestedBy = By,
        }), $"put {rollback.Version} back");
        await GrainFactory.GetGrain<IModelGrain>(Model).SetAliasAsync(ModelAliases.Champion, rollback.Version, By, rollback.Reason);
    }

    private async Task EndChallengeAsync(ModelPolicy policy, string service, MonitorAction.EndChallenge end)
    {
        var challenger = end.Challenger;
        await Operations.SplitAsync(service, [], []);
        if (!end.ChallengerWon)
            return;
        await TryAsync(() => Operations.DeployAsync(service, new DeployCommand
        {
            Version = challenger,
            Destinations = [ModelServing.Destination(policy.ServingUrl, challenger)],
            Policy = RolloutPolicy.Default with { Stages = [100] },
            RequestedBy = By,
        }), $"make {challenger} the serving version");
    }

    private async Task TellAsync(string service, ModelEventKind kind, string? version, string message)
    {
        var evt = new ModelEvent { Model = Model, Kind = kind, Version = version, At = clock.Now, By = By, Message = message };
        LogAction(logger, Model, kind, message);
        await GrainFactory.GetGrain<IModelGrain>(Model).RecordAsync(evt);
        await audit.RecordAsync(evt, service);
        await WebhookPublishing.TryPublishAsync(GrainFactory, ModelNotices.Of(evt, service), logger);
    }

    /// <summary>An action refused by the cluster (a freeze, a conflict) is noted and told, never thrown out of the check.</summary>
    private async Task TryAsync(Func<Task> act, string what)
    {
        try
        {
            await act();
        }
        catch (Exception ex) when (ex is AviaryConflictException or AviaryValidationException or AviaryNotFoundException or AviaryForbiddenException)
        {
            LogActionRefused(logger, Model, what, ex.Message);
            _last = _last with { Note = $"could not {what}: {ex.Message}" };
        }
    }
}
