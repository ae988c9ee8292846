using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Guardrails;
using Aviary.Rollouts;
using Aviary.Routes;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Grains.Deployments;

/// <summary>
/// One service: stable version, release history, the single active rollout and the traffic split.
/// Calls its rollout only to start it; the rollout reports back through <c>ApplyRolloutAsync</c>.
/// Every stored change is then published as the service's route (<see cref="Names.Routes"/>), so
/// gateways move traffic only after the change is durable.
/// </summary>
public sealed partial class DeploymentGrain(
    [PersistentState("deployment", Names.Storage)] IPersistentState<DeploymentState> store,
    AviaryClock clock,
    ILogger<DeploymentGrain> logger) : Grain, IDeploymentGrain
{
    private IGrainTimer? _releaseTimer;

    private string Service => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmReleaseTimer();
        return Task.CompletedTask;
    }

    Task<DeployResult> IDeploymentGrain.DeployAsync(string version, RolloutPolicy policy) =>
        DeployAsync(new DeployCommand { Version = version, Policy = policy });

    Task<DeployResult> IDeploymentGrain.DeployToAsync(string version, string[] destinations, RolloutPolicy policy) =>
        DeployAsync(new DeployCommand { Version = version, Destinations = destinations, Policy = policy });

    Task<DeployResult> IDeploymentGrain.DeployAsync(DeployCommand command) => DeployAsync(command);

    private async Task<DeployResult> DeployAsync(DeployCommand command)
    {
        Identifiers.ValidateService(Service);
        var version = Identifiers.ValidateVersion(command.Version);
        RouteValidator.ValidateDestinations(command.Destinations);
        RolloutPolicyValidator.Validate(command.Policy);
        var guard = GrainFactory.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key);

        var before = store.State;
        if (!before.HasStable)
        {
            await guard.CheckFreezeAsync(command.FreezeOverride);
            var stable = DeploymentLedger.Deploy(before, Service, version, command.Destinations, command.Policy, clock.Now, out _);
            await GrainFactory.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).AddAsync(Service);
            await WriteAsync(stable);
            LogStable(logger, Service, version);
            await TellGuardAsync(new ReleaseFinished { Service = Service, Version = version, Outcome = ReleaseOutcome.Initial });
            return new DeployResult { Deployment = View() };
        }

        var after = await ReleaseDependencies.ResolveAsync(GrainFactory, Service, command.After);
        // The deploy is stored as queued, its rollout id reserved, before the guard hears of it:
        // whatever the guard then decides, this grain knows the deploy it is about.
        var queued = DeploymentLedger.Queue(before, Service, version, command.Destinations, command.Policy, command.RequestedBy, clock.Now, out var rolloutId);
        await WriteAsync(queued);
        Admission admission;
        try
        {
            admission = await guard.AdmitAsync(new ReleaseRequest
            {
                RolloutId = rolloutId,
                Service = Service,
                Version = version,
                After = after,
                FreezeOverride = command.FreezeOverride,
                RequestedBy = command.RequestedBy,
            });
        }
        catch
        {
            await WriteAsync(before);
            throw;
        }
        if (!admission.Start)
        {
            LogQueued(logger, Service, rolloutId, admission.Position, admission.Waiting);
            return new DeployResult { Deployment = View(), Queued = admission };
        }
        return await StartQueuedAsync(rolloutId, admission.RequiredApprovals);
    }

    async Task IDeploymentGrain.StartQueuedAsync(string rolloutId, int requiredApprovals)
    {
        // A one-way message: nobody waits for the answer, so a start that fails is logged here
        // (the deploy is already cancelled and its slot given back).
        try
        {
            await StartQueuedAsync(rolloutId, requiredApprovals);
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex, Service, rolloutId);
        }
    }

    /// <summary>Starts the queued deploy's rollout. Should it not start, the deploy is cancelled and its slot given back.</summary>
    private async Task<DeployResult> StartQueuedAsync(string rolloutId, int requiredApprovals)
    {
        var before = store.State;
        if (before.Queued?.RolloutId != rolloutId)
        {
            if (before.ActiveRolloutId != rolloutId)
                await TellGuardAsync(Ended(rolloutId));
            return new DeployResult { Deployment = View() };
        }
        var queued = before.Queued;
        var started = DeploymentLedger.StartQueued(before, rolloutId, requiredApprovals, clock.Now);
        await WriteAsync(started);
        RolloutView rollout;
        try
        {
            rollout = await GrainFactory.GetGrain<IRolloutGrain>(rolloutId).StartAsync(new RolloutSpec
            {
                RolloutId = rolloutId,
                Service = Service,
                Version = queued.Version,
                StableVersion = before.StableVersion,
                Policy = started.ActivePolicy!,
                RequestedBy = queued.RequestedBy,
            });
        }
        catch (Exception ex)
        {
            await WriteAsync(DeploymentLedger.CancelQueued(before, rolloutId, $"did not start: {ex.Message}", clock.Now));
            await TellGuardAsync(Ended(rolloutId));
            throw;
        }
        await ApplyAsync(new RolloutUpdate
        {
            RolloutId = rolloutId,
            Version = queued.Version,
            Status = rollout.Status,
            Weight = rollout.Weight,
            At = clock.Now,
        });
        return new DeployResult { Deployment = View(), Rollout = rollout };
    }

    async Task IDeploymentGrain.CancelQueuedAsync(string rolloutId, string reason)
    {
        var next = DeploymentLedger.CancelQueued(store.State, rolloutId, reason, clock.Now);
        if (ReferenceEquals(next, store.State))
            return;
        await WriteAsync(next);
        LogCancelled(logger, Service, rolloutId, reason);
    }

    async Task<DeploymentView> IDeploymentGrain.WithdrawAsync(string reason)
    {
        if (store.State.Queued is not { } queued)
            throw new AviaryConflictException("service", $"'{Service}' has no deploy waiting in the release queue");
        var why = string.IsNullOrWhiteSpace(reason) ? "withdrawn by an operator" : reason.Trim();
        await WriteAsync(DeploymentLedger.CancelQueued(store.State, queued.RolloutId, why, clock.Now));
        LogCancelled(logger, Service, queued.RolloutId, why);
        await GrainFactory.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key).WithdrawAsync(queued.RolloutId);
        return View();
    }

    /// <summary>How <paramref name="rolloutId"/> ended, from the release history.</summary>
    private ReleaseFinished Ended(string rolloutId)
    {
        var record = store.State.Releases.LastOrDefault(r => r.RolloutId == rolloutId);
        return new ReleaseFinished
        {
            RolloutId = rolloutId,
            Service = Service,
            Version = record?.Version ?? "",
            Outcome = record?.Outcome is { } outcome and not (ReleaseOutcome.InProgress or ReleaseOutcome.Queued) ? outcome : ReleaseOutcome.Cancelled,
            Reason = record?.Reason ?? "",
        };
    }

    /// <summary>The guard hears of a release's end; when the call fails, its reconcile asks again.</summary>
    private async Task TellGuardAsync(ReleaseFinished finished)
    {
        try
        {
            await GrainFactory.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key).FinishedAsync(finished);
        }
        catch (Exception ex)
        {
            LogGuardNotTold(logger, ex, Service, finished.RolloutId);
        }
    }

    Task<DeploymentView?> IDeploymentGrain.GetAsync() =>
        Task.FromResult(store.State.Exists ? View() : null);

    async Task<DeploymentView> IDeploymentGrain.UndoAsync()
    {
        var next = DeploymentLedger.Undo(store.State, Service, clock.Now);
        await WriteAsync(next);
        LogUndone(logger, Service, next.StableVersion);
        return View();
    }

    Task IDeploymentGrain.ApplyRolloutAsync(RolloutUpdate update) => ApplyAsync(update);

    async Task<DeploymentView> IDeploymentGrain.ConfigureAsync(ServiceRouting routing)
    {
        Identifiers.ValidateService(Service);
        var next = DeploymentLedger.Configure(store.State, routing);
        await GrainFactory.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).AddAsync(Service);
        await WriteAsync(next);
        LogConfigured(logger, Service, string.Join(",", next.Routing!.Hosts), next.Routing.PathPrefix);
        return View();
    }

    async Task IDeploymentGrain.RemoveAsync()
    {
        Identifiers.ValidateService(Service);
        await WriteAsync(DeploymentLedger.Remove(store.State, Service));
        await GrainFactory.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).RemoveAsync(Service);
        LogRemoved(logger, Service);
    }

    async Task<DeploymentView> IDeploymentGrain.SetSplitAsync(SplitShare[] split, VersionTarget[] destinations)
    {
        Identifiers.ValidateService(Service);
        foreach (var target in destinations)
        {
            Identifiers.ValidateVersion(target.Version, "to");
            RouteValidator.ValidateDestinations(target.Destinations);
        }
        var next = DeploymentLedger.SetSplit(store.State, Service, split, destinations);
        await WriteAsync(next);
        LogSplitSet(logger, Service, string.Join(", ", split.Select(s => $"{s.Version}={s.Weight}")));
        return View();
    }

    Task<RouteSnapshot?> IDeploymentGrain.GetRouteAsync() =>
        Task.FromResult(store.State.Exists ? DeploymentLedger.Route(Service, store.State) : null);

    private async Task ApplyAsync(RolloutUpdate update)
    {
        var next = DeploymentLedger.Apply(store.State, update);
        if (ReferenceEquals(next, store.State))
            return;
        await WriteAsync(next);
        LogSplit(logger, Service, update.RolloutId, next.StableVersion, next.CanaryVersion, next.CanaryWeight);
        if (update.Status.IsFinal())
            await TellGuardAsync(Ended(update.RolloutId) with { Reason = update.Reason });
    }

    /// <summary>
    /// A blue-green switch keeps the version it replaced routable for its switch-back window; when
    /// the window ends, it is released. Should the grain be gone by then, its next activation does it.
    /// </summary>
    private void ArmReleaseTimer()
    {
        if (store.State.SwitchBackUntil is not { } until)
        {
            _releaseTimer?.Dispose();
            _releaseTimer = null;
            return;
        }
        var due = until - clock.Now;
        _releaseTimer?.Dispose();
        _releaseTimer = this.RegisterGrainTimer(async _ =>
        {
            var next = DeploymentLedger.ReleaseSwitchedOut(store.State, clock.Now);
            if (!ReferenceEquals(next, store.State))
            {
                await WriteAsync(next);
                LogReleased(logger, Service);
            }
        }, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = false });
    }

    /// <summary>Stores <paramref name="next"/> under the next route revision, then tells the gateways.</summary>
    private async Task WriteAsync(DeploymentState next)
    {
        var hadWindow = store.State.SwitchBackUntil;
        await store.WriteOrRevertAsync(next with { RouteRevision = store.State.RouteRevision + 1 });
        if (store.State.SwitchBackUntil != hadWindow)
            ArmReleaseTimer();
        try
        {
            await this.GetStreamProvider(Names.StreamProvider)
                .GetStream<RouteSnapshot>(StreamId.Create(Names.Routes, Names.RoutesKey))
                .OnNextAsync(DeploymentLedger.Route(Service, store.State));
        }
        catch (Exception ex)
        {
            // Stored: the gateways' reconcile picks the route up within its period.
            LogRoutePublishFailed(logger, ex, Service, store.State.RouteRevision);
        }
    }

    private DeploymentView View() => DeploymentLedger.Describe(Service, store.State);
}
