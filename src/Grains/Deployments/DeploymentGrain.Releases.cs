using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Guardrails;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// A release's way through the deployment: validated, stored as queued, admitted (or kept waiting)
/// by the release guard, its rollout started, the rollout's reports folded in, and the guard told
/// how it ended. Each step is stored before the next grain hears of it.
/// </summary>
public sealed partial class DeploymentGrain
{
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
                await TellGuardAsync(DeploymentLedger.Finished(store.State, Service, rolloutId));
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
            await TellGuardAsync(DeploymentLedger.Finished(store.State, Service, rolloutId));
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

    Task IDeploymentGrain.ApplyRolloutAsync(RolloutUpdate update) => ApplyAsync(update);

    /// <summary>A rollout's report: its weight, or its end, which frees the service and is told to the guard.</summary>
    private async Task ApplyAsync(RolloutUpdate update)
    {
        var next = DeploymentLedger.Apply(store.State, update);
        if (ReferenceEquals(next, store.State))
            return;
        await WriteAsync(next);
        LogSplit(logger, Service, update.RolloutId, next.StableVersion, next.CanaryVersion, next.CanaryWeight);
        if (update.Status.IsFinal())
            await TellGuardAsync(DeploymentLedger.Finished(store.State, Service, update.RolloutId) with { Reason = update.Reason });
    }
}
