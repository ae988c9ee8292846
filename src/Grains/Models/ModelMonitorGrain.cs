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
}
