using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

[GenerateSerializer, Alias("aviary.WorkflowRegistryState")]
public sealed class WorkflowRegistryState
{
    [Id(0)] public List<string> Runs { get; set; } = [];
}

/// <summary>The last <see cref="IWorkflowRegistryGrain.MaxRuns"/> run ids, oldest dropped first.</summary>
public sealed class WorkflowRegistryGrain(
    [PersistentState("workflows", Names.Storage)] IPersistentState<WorkflowRegistryState> store) : Grain, IWorkflowRegistryGrain
{
    async Task IWorkflowRegistryGrain.AddAsync(string runId)
    {
        if (store.State.Runs.Contains(runId))
            return;
        var runs = store.State.Runs.Append(runId).ToList();
        if (runs.Count > IWorkflowRegistryGrain.MaxRuns)
            runs.RemoveRange(0, runs.Count - IWorkflowRegistryGrain.MaxRuns);
        await store.WriteOrRevertAsync(new WorkflowRegistryState { Runs = runs });
    }

    Task<string[]> IWorkflowRegistryGrain.ListAsync() => Task.FromResult(store.State.Runs.ToArray());
}
