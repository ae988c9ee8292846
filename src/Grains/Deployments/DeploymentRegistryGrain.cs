using Aviary.Deployments;

namespace Aviary.Grains.Deployments;

/// <summary>An index of service names for listing; one small grain, written once per new service.</summary>
public sealed class DeploymentRegistryGrain(
    [PersistentState("registry", Names.Storage)] IPersistentState<DeploymentRegistryState> store) : Grain, IDeploymentRegistryGrain
{
    async Task IDeploymentRegistryGrain.AddAsync(string service)
    {
        Identifiers.ValidateService(service);
        if (store.State.Services.Contains(service))
            return;
        await store.WriteOrRevertAsync(new DeploymentRegistryState
        {
            Services = new SortedSet<string>(store.State.Services.Append(service), StringComparer.Ordinal),
        });
    }

    async Task IDeploymentRegistryGrain.RemoveAsync(string service)
    {
        if (!store.State.Services.Contains(service))
            return;
        var remaining = new SortedSet<string>(store.State.Services, StringComparer.Ordinal);
        remaining.Remove(service);
        await store.WriteOrRevertAsync(new DeploymentRegistryState { Services = remaining });
    }

    Task<string[]> IDeploymentRegistryGrain.ListAsync() => Task.FromResult(store.State.Services.ToArray());
}
