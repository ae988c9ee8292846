using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Rollouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The shell around <see cref="RolloutDecider"/>: gathers the time and the windows' snapshots,
/// asks the decider, persists, then moves traffic (through the deployment) and publishes.
/// A timer nudges it when a check is due (<c>RolloutGrain.Checks.cs</c>); its partition's keeper
/// (<see cref="RolloutKeeperGrain"/>) wakes it every reminder period, which brings it back after a
/// restart, and the timer is re-armed from the stored stage start, so no stage is skipped or
/// repeated. It has no reminder of its own.
/// </summary>
public sealed partial class RolloutGrain(
    [PersistentState("rollout", Names.Storage)] IPersistentState<RolloutGrainState> store,
    AviaryClock clock,
    IOptions<GrainTimingOptions> timing,
    ILogger<RolloutGrain> logger) : Grain, IRolloutGrain, IRolloutWakeGrain
{
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
        var decision = RolloutDecider.Decide(RolloutState.NotStarted, new RolloutCommand.Start(), spec.Policy, clock.Now);
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

    Task<RolloutView> IRolloutGrain.PauseAsync(string reason) => CommandAsync(new RolloutCommand.Pause(reason));

    Task<RolloutView> IRolloutGrain.ResumeAsync() => CommandAsync(new RolloutCommand.Resume());

    Task<RolloutView> IRolloutGrain.AbortAsync(string reason) => CommandAsync(new RolloutCommand.Abort(reason));

    Task<RolloutView> IRolloutGrain.ApproveAsync(string approver) => ApproveWithHooksAsync(approver);

    private async Task<RolloutView> CommandAsync(RolloutCommand command)
    {
        await ApplyAsync(Decide(command, clock.Now));
        return View();
    }

    /// <summary>The decider on the stored state; an unknown rollout is not found, before anything else.</summary>
    private RolloutDecision Decide(RolloutCommand command, DateTimeOffset now) =>
        RolloutDecider.Decide(Machine, command, Spec.Policy, now);

    /// <summary>Persist first, then move traffic, then tell the world.</summary>
    private async Task ApplyAsync(RolloutDecision decision)
    {
        if (decision.Change == RolloutChange.None)
            return;
        var before = Machine;
        var next = new RolloutGrainState { Spec = store.State.Spec, Machine = decision.State };
        if (decision.Persist)
            await store.WriteOrRevertAsync(next);
        else
            store.State = next; // in memory only: a check's bookkeeping (RolloutChange.Checked)

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
            DisarmTimer();
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
            // The transition is persisted; the timer or the keeper's next wake tries again.
            LogDeploymentSyncFailed(logger, ex, spec.RolloutId, spec.Service);
        }
    }

    private RolloutView View() => RolloutDescription.Describe(Spec, Machine, clock.Now);
}
