using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Metrics;
using Aviary.Rollouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The shell around <see cref="RolloutDecider"/>: gathers the time and the windows' snapshots,
/// asks the decider, persists, then moves traffic (through the deployment) and publishes.
/// A timer nudges it when a check is due; its partition's keeper (<see cref="RolloutKeeperGrain"/>)
/// wakes it every reminder period, which brings it back after a restart, and the timer is
/// re-armed from the stored stage start, so no stage is skipped or repeated.
/// </summary>
public sealed partial class RolloutGrain(
    [PersistentState("rollout", Names.Storage)] IPersistentState<RolloutGrainState> store,
    AviaryClock clock,
    IOptions<GrainTimingOptions> timing,
    ILogger<RolloutGrain> logger) : Grain, IRolloutGrain, IRolloutWakeGrain, IRemindable
{
    private IGrainTimer? _timer;
    private bool _deploymentInSync = true;

    private RolloutSpec Spec => store.State.Spec ?? throw new AviaryNotFoundException("rollout", $"no rollout '{this.GetPrimaryKeyString()}'");

    private RolloutState Machine => store.State.Machine!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.State.Machine is { } machine)
        {
            // After a crash the deployment may not have seen the last persisted transition.
            _deploymentInSync = false;
            if (machine.Status == RolloutStatus.Progressing)
                ArmTimer();
            ReportGauge();
        }
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        AviaryGauges.Rollout(this.GetPrimaryKeyString(), null);
        return Task.CompletedTask;
    }

    private void ReportGauge()
    {
        if (store.State is { Spec: { } spec, Machine: { } machine })
            AviaryGauges.Rollout(spec.RolloutId, new(spec.Service, spec.Version, spec.StableVersion, machine.Status, RolloutDecider.Weight(machine, spec.Policy)));
    }

    async Task<RolloutView> IRolloutGrain.StartAsync(RolloutSpec spec)
    {
        var id = this.GetPrimaryKeyString();
        if (spec.RolloutId != id)
            throw new AviaryValidationException("rolloutId", $"must be this grain's key '{id}'");
        Identifiers.ValidateService(spec.Service);
        Identifiers.ValidateVersion(spec.Version);
        Identifiers.ValidateVersion(spec.StableVersion, "stableVersion");
        RolloutPolicyValidator.Validate(spec.Policy);

        if (store.State.Spec is { } existing)
        {
            if (existing.Version != spec.Version || existing.Service != spec.Service)
                throw new AviaryConflictException("rolloutId", $"'{id}' already rolls out {existing.Service} {existing.Version}");
            return View();
        }

        await AskToStartAsync(spec); // rollout.starting hooks may refuse (RolloutGrain.Webhooks.cs)
        var decision = RolloutDecider.Start(spec.Policy, clock.Now);
        await store.WriteOrRevertAsync(new RolloutGrainState { Spec = spec, Machine = decision.State });
        LogStarted(logger, id, spec.Service, spec.Version, spec.Policy.Stages[0]);
        ReportGauge();

        // The deployment is waiting on this call and learns the split from its result:
        // calling back into it here would deadlock.
        _deploymentInSync = true;
        if (!Machine.Status.IsFinal())
        {
            await RolloutKeeperGrain.For(GrainFactory, id).KeepAsync(id);
            // Asking once makes the service's windows keep a whole check interval of samples from now on.
            await ObserveAsync(spec.Policy.CheckInterval);
            ArmTimer();
        }
        await PublishAsync(decision);
        return View();
    }

    Task<RolloutView> IRolloutGrain.GetAsync() => Task.FromResult(View());

    Task<RolloutView> IRolloutGrain.PromoteAsync(bool full) => PromoteWithHooksAsync(full);

    Task<RolloutView> IRolloutGrain.PauseAsync(string reason) =>
        CommandAsync(() => RolloutDecider.Pause(Machine, reason, clock.Now));

    Task<RolloutView> IRolloutGrain.ResumeAsync() =>
        CommandAsync(() => RolloutDecider.Resume(Machine, Spec.Policy, clock.Now));

    Task<RolloutView> IRolloutGrain.AbortAsync(string reason) =>
        CommandAsync(() => RolloutDecider.Abort(Machine, reason, clock.Now));

    Task<RolloutView> IRolloutGrain.ApproveAsync(string approver) => ApproveWithHooksAsync(approver);

    /// <summary>A reminder of this rollout's own, as each rollout had before keepers: it hands the rollout over to its keeper and goes.</summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (store.State.Spec is { } spec && store.State.Machine is { } machine && !(machine.Status.IsFinal() && _deploymentInSync))
            await RolloutKeeperGrain.For(GrainFactory, spec.RolloutId).KeepAsync(spec.RolloutId);
        if (await this.GetReminder(reminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
        await WakeAsync();
    }

    Task IRolloutWakeGrain.WakeAsync() => WakeAsync();

    /// <summary>Brings the deployment in line with the stored state and re-arms the timer; releases the keeper when nothing is left to do.</summary>
    private async Task WakeAsync()
    {
        if (store.State.Machine is not { } machine)
        {
            await ReleaseAsync();
            return;
        }
        if (!_deploymentInSync)
            await SyncDeploymentAsync();
        if (machine.Status.IsFinal())
        {
            if (_deploymentInSync)
                await ReleaseAsync();
            return;
        }
        if (machine.Status == RolloutStatus.Progressing && _timer is null)
            ArmTimer();
    }

    private async Task<RolloutView> CommandAsync(Func<RolloutDecision> decide)
    {
        _ = Spec; // unknown rollout: not found, before anything else
        await ApplyAsync(decide());
        return View();
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (store.State.Machine is not { Status: RolloutStatus.Progressing } machine)
        {
            ArmTimer();
            return;
        }
        if (!_deploymentInSync)
            await SyncDeploymentAsync();

        var policy = Spec.Policy;
        var now = clock.Now;
        var due = RolloutDecider.NextCheckAt(machine, policy);
        if (now >= due)
        {
            AviaryMeters.CheckLateness.Record((now - due).TotalMilliseconds);
            var observation = await ObserveAsync(policy.CheckInterval);
            // Commands may have run while the windows answered; decide on what is current.
            await ApplyAsync(await CheckWithHooksAsync(policy, observation, now));
        }
        ArmTimer();
    }

    private async Task<HealthObservation> ObserveAsync(TimeSpan window)
    {
        var spec = Spec;
        var metrics = GrainFactory.GetGrain<IServiceMetricsGrain>(spec.Service);
        var both = await metrics.CompareAsync(spec.Version, spec.StableVersion, window);
        var mismatch = spec.Policy.MirrorsAt(Machine.StageIndex) ? await metrics.GetSnapshotAsync(MirrorSeries.Of(spec.Version), window) : null;
        return new HealthObservation(both.Canary, both.Stable, mismatch);
    }

    /// <summary>Persist first, then move traffic, then tell the world.</summary>
    private async Task ApplyAsync(RolloutDecision decision)
    {
        var before = Machine;
        if (ReferenceEquals(before, decision.State))
            return;
        var next = new RolloutGrainState { Spec = store.State.Spec, Machine = decision.State };
        if (decision.Persist)
            await store.WriteOrRevertAsync(next);
        else
            store.State = next; // in memory only (a verdict that changed nothing stored)

        ReportGauge();
        var policy = Spec.Policy;
        var after = decision.State;
        if (after.Status != before.Status || RolloutDecider.Weight(after, policy) != RolloutDecider.Weight(before, policy))
        {
            _deploymentInSync = false;
            await SyncDeploymentAsync();
        }
        if (after.Status.IsFinal())
        {
            _timer?.Dispose();
            _timer = null;
            if (_deploymentInSync)
                await ReleaseAsync();
        }
        else
        {
            ArmTimer();
        }
        await PublishAsync(decision);
    }

    private async Task SyncDeploymentAsync()
    {
        var spec = Spec;
        var update = new RolloutUpdate
        {
            RolloutId = spec.RolloutId,
            Version = spec.Version,
            Status = Machine.Status,
            Weight = RolloutDecider.Weight(Machine, spec.Policy),
            At = clock.Now,
            Reason = Machine.Status.IsFinal() && Machine.Transitions.Length > 0 ? Machine.Transitions[^1].Message : "",
        };
        try
        {
            await GrainFactory.GetGrain<IDeploymentGrain>(spec.Service).ApplyRolloutAsync(update);
            _deploymentInSync = true;
        }
        catch (Exception ex)
        {
            // The transition is persisted; the timer or the reminder tries again.
            LogDeploymentSyncFailed(logger, ex, spec.RolloutId, spec.Service);
        }
    }

    private async Task PublishAsync(RolloutDecision decision)
    {
        if (decision.Events.Count == 0)
            return;
        var spec = Spec;
        var state = decision.State;
        var weight = RolloutDecider.Weight(state, spec.Policy);
        var stream = this.GetStreamProvider(Names.StreamProvider)
            .GetStream<RolloutEvent>(StreamId.Create(Names.RolloutEvents, Names.RolloutEventsKey(spec.Service)));
        foreach (var e in decision.Events)
        {
            if (e.Kind == RolloutEventKind.CheckCompleted)
                AviaryMeters.Verdicts.Add(1, new KeyValuePair<string, object?>("result", (e.Verdict?.Result ?? VerdictResult.Inconclusive).ToString()));
            else
            {
                AviaryMeters.Transitions.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToString()));
                LogTransition(logger, spec.RolloutId, spec.Service, e.Kind, state.StageIndex, weight, e.Message);
            }
            try
            {
                await stream.OnNextAsync(new RolloutEvent
                {
                    RolloutId = spec.RolloutId,
                    Service = spec.Service,
                    Version = spec.Version,
                    Kind = e.Kind,
                    Status = state.Status,
                    StageIndex = state.StageIndex,
                    Weight = weight,
                    At = decision.At,
                    Message = e.Message,
                    Verdict = e.Verdict,
                });
            }
            catch (InvalidOperationException)
            {
                // The memory stream's queue is full (no back-pressure): shed the live event, count it.
                AviaryMeters.EventsDropped.Add(1);
                LogPublishShed(logger, spec.RolloutId, e.Kind);
            }
            catch (Exception ex)
            {
                // Events are a live feed; the persisted state is the record. Never fail a transition on them.
                LogPublishFailed(logger, ex, spec.RolloutId, e.Kind);
            }
        }
        await NotifyHooksAsync(decision);
    }

    private void ArmTimer()
    {
        if (store.State.Machine is not { Status: RolloutStatus.Progressing } machine)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        var delay = timing.Value.DelayUntil(RolloutDecider.NextCheckAt(machine, Spec.Policy), clock.Now);
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan)
            {
                Interleave = false,
                KeepAlive = true,
            });
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private Task ReleaseAsync()
    {
        var id = this.GetPrimaryKeyString();
        return RolloutKeeperGrain.For(GrainFactory, id).ReleaseAsync(id);
    }

    private RolloutView View() => RolloutDecider.Describe(Spec, Machine, clock.Now);
}
