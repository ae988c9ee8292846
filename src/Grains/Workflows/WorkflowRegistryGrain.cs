using Aviary.Workflows;
using Orleans.Concurrency;

namespace Aviary.Grains.Workflows;

[GenerateSerializer, Alias("aviary.WorkflowRegistryState")]
public sealed class WorkflowRegistryState
{
    [Id(0)] public List<string> Runs { get; set; } = [];
}

/// <summary>
/// The last <see cref="IWorkflowRegistryGrain.MaxRuns"/> run ids, oldest dropped first. Every run
/// that starts is added here, so adds are group-committed: the ids that arrive while a write is
/// in flight go out together in the next one, and each add returns once its id is stored.
/// (Reentrant for that: one write at a time is kept by the loop, not by the grain's turns.)
/// </summary>
[Reentrant]
public sealed class WorkflowRegistryGrain(
    [PersistentState("workflows", Names.Storage)] IPersistentState<WorkflowRegistryState> store) : Grain, IWorkflowRegistryGrain
{
    private readonly List<(string RunId, TaskCompletionSource Stored)> _waiting = [];
    private bool _writing;

    Task IWorkflowRegistryGrain.AddAsync(string runId)
    {
        if (store.State.Runs.Contains(runId))
            return Task.CompletedTask;
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((runId, stored));
        if (!_writing)
            _ = WriteWaitingAsync();
        return stored.Task;
    }

    Task<string[]> IWorkflowRegistryGrain.ListAsync() => Task.FromResult(store.State.Runs.ToArray());

    private async Task WriteWaitingAsync()
    {
        _writing = true;
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting.ToArray();
                _waiting.Clear();
                var runs = store.State.Runs.Concat(batch.Select(w => w.RunId).Where(id => !store.State.Runs.Contains(id))).Distinct().ToList();
                if (runs.Count > IWorkflowRegistryGrain.MaxRuns)
                    runs.RemoveRange(0, runs.Count - IWorkflowRegistryGrain.MaxRuns);
                try
                {
                    await store.WriteOrRevertAsync(new WorkflowRegistryState { Runs = runs });
                    foreach (var (_, done) in batch)
                        done.SetResult();
                }
                catch (Exception ex)
                {
                    foreach (var (_, done) in batch)
                        done.SetException(ex);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
