using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>An index of model names for listing; written once per new model.</summary>
public sealed class ModelRegistryGrain(
    [PersistentState("models", Names.Storage)] IPersistentState<ModelRegistryState> store) : Grain, IModelRegistryGrain
{
    async Task IModelRegistryGrain.AddAsync(string model)
    {
        ModelNames.Validate(model);
        if (store.State.Models.Contains(model))
            return;
        await store.WriteOrRevertAsync(new ModelRegistryState { Models = new SortedSet<string>(store.State.Models.Append(model), StringComparer.Ordinal) });
    }

    async Task IModelRegistryGrain.RemoveAsync(string model)
    {
        if (!store.State.Models.Contains(model))
            return;
        await store.WriteOrRevertAsync(new ModelRegistryState { Models = new SortedSet<string>(store.State.Models.Where(m => m != model), StringComparer.Ordinal) });
    }

    Task<string[]> IModelRegistryGrain.ListAsync() => Task.FromResult(store.State.Models.ToArray());
}
