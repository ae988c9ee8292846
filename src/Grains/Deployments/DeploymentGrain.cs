using Aviary.Deployments;
using Aviary.Rollouts;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Deployments;

/// <summary>
/// One service: stable version, release history, the single active rollout and the traffic split.
/// Calls its rollout only to start it; the rollout reports back through <c>ApplyRolloutAsync</c>.
/// </summary>
public sealed partial class DeploymentGrain(
    [PersistentState("deployment", Names.Storage)] IPersistentState<DeploymentState> store,
    AviaryClock clock,
    ILogger<DeploymentGrain> logger) : Grain, IDeploymentGrain
{
    private string Service => this.GetPrimaryKeyString();

    async Task<DeployResult> IDeploymentGrain.DeployAsync(string version, RolloutPolicy policy)
    {
        Identifiers.ValidateService(Service);
        Identifiers.ValidateVersion(version);
        RolloutPolicyValidator.Validate(policy);

        var before = store.State;
        var reserved = DeploymentLedger.Deploy(before, Service, version, clock.Now, out var rolloutId);
        if (rolloutId is null)
        {
            await GrainFactory.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).AddAsync(Service);
            await WriteAsync(reserved);
            LogStable(logger, Service, version);
            return new DeployResult { Deployment = View() };
        }

        // Reserve the rollout id first, so a crash never leaves a running rollout nobody points at.
        await WriteAsync(reserved);
        RolloutView rollout;
        try
        {
            rollout = await GrainFactory.GetGrain<IRolloutGrain>(rolloutId).StartAsync(new RolloutSpec
            {
                RolloutId = rolloutId,
                Service = Service,
                Version = version,
                StableVersion = before.StableVersion,
                Policy = policy,
            });
        }
        catch
        {
            await WriteAsync(before);
            throw;
        }
        await ApplyAsync(new RolloutUpdate
        {
            RolloutId = rolloutId,
            Version = version,
            Status = rollout.Status,
            Weight = rollout.Weight,
            At = clock.Now,
        });
        return new DeployResult { Deployment = View(), Rollout = rollout };
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

    private async Task ApplyAsync(RolloutUpdate update)
    {
        var next = DeploymentLedger.Apply(store.State, update);
        if (ReferenceEquals(next, store.State))
            return;
        await WriteAsync(next);
        LogSplit(logger, Service, update.RolloutId, next.StableVersion, next.CanaryVersion, next.CanaryWeight);
    }

    private Task WriteAsync(DeploymentState next) => store.WriteOrRevertAsync(next);

    private DeploymentView View() => DeploymentLedger.Describe(Service, store.State);
}
