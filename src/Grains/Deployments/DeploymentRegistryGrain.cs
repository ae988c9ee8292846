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
        store.State.Services.Add(service);
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State.Services.Remove(service);
            throw;
        }
    }

    Task<string[]> IDeploymentRegistryGrain.ListAsync() => Task.FromResult(store.State.Services.ToArray());
}
