using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The rollout's clockwork: a timer armed for the next check from the stored stage start, the
/// check it runs on the service's windows, and the keeper's wake that brings a rollout back after
/// a restart and lets it go once nothing is left to do.
/// </summary>
public sealed partial class RolloutGrain
{
    private IGrainTimer? _timer;

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

    private Task ReleaseAsync()
    {
        var id = this.GetPrimaryKeyString();
        return RolloutKeeperGrain.For(GrainFactory, id).ReleaseAsync(id);
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
            await ApplyAsync(await CheckWithHooksAsync(observation, now));
        }
        ArmTimer();
    }

    /// <summary>The service metrics grain's comparison of the two versions, passed on as it answered it.</summary>
    private async Task<HealthObservation> ObserveAsync(TimeSpan window)
    {
        var spec = Spec;
        var metrics = GrainFactory.GetGrain<IServiceMetricsGrain>(spec.Service);
        var windows = await metrics.CompareAsync(spec.Version, spec.StableVersion, window);
        var mismatch = spec.Policy.MirrorsAt(Machine.StageIndex) ? await metrics.GetSnapshotAsync(MirrorSeries.Of(spec.Version), window) : null;
        return new HealthObservation(windows, mismatch);
    }

    private void ArmTimer()
    {
        if (store.State.Machine is not { Status: RolloutStatus.Progressing } machine)
        {
            DisarmTimer();
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

    private void DisarmTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
