using Aviary.Deployments;
using Aviary.Routes;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Grains.Deployments;

/// <summary>
/// One service: stable version, release history, the single active rollout and the traffic split.
/// Calls its rollout only to start it (<c>DeploymentGrain.Releases.cs</c>); the rollout reports
/// back through <c>ApplyRolloutAsync</c>. Every stored change is then published as the service's
/// route (<see cref="Names.Routes"/>), so gateways move traffic only after the change is durable.
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

    Task<DeploymentView?> IDeploymentGrain.GetAsync() =>
        Task.FromResult(store.State.Exists ? View() : null);

    async Task<DeploymentView> IDeploymentGrain.UndoAsync()
    {
        var next = DeploymentLedger.Undo(store.State, Service, clock.Now);
        await WriteAsync(next);
        LogUndone(logger, Service, next.StableVersion);
        return View();
    }

    async Task<DeploymentView> IDeploymentGrain.ConfigureAsync(ServiceRouting routing)
    {
        Identifiers.ValidateService(Service);
        var next = ServiceRegistration.Configure(store.State, routing);
        await GrainFactory.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).AddAsync(Service);
        await WriteAsync(next);
        LogConfigured(logger, Service, string.Join(",", next.Routing!.Hosts), next.Routing.PathPrefix);
        return View();
    }

    async Task IDeploymentGrain.RemoveAsync()
    {
        Identifiers.ValidateService(Service);
        await WriteAsync(ServiceRegistration.Remove(store.State, Service));
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
        var next = FixedSplit.Set(store.State, Service, split, destinations);
        await WriteAsync(next);
        LogSplitSet(logger, Service, string.Join(", ", split.Select(s => $"{s.Version}={s.Weight}")));
        return View();
    }

    Task<RouteSnapshot?> IDeploymentGrain.GetRouteAsync() =>
        Task.FromResult(store.State.Exists ? DeploymentRoute.Of(Service, store.State) : null);

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
                .OnNextAsync(DeploymentRoute.Of(Service, store.State));
        }
        catch (Exception ex)
        {
            // Stored: the gateways' reconcile picks the route up within its period.
            LogRoutePublishFailed(logger, ex, Service, store.State.RouteRevision);
        }
    }

    private DeploymentView View() => DeploymentDescription.Describe(Service, store.State);
}
