using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>The dead-letter queue: bounded, oldest dropped first; one entry per run and task.</summary>
public sealed class DeadLetterGrain(
    [PersistentState("deadletters", Names.Storage)] IPersistentState<DeadLetterState> store,
    Microsoft.Extensions.Logging.ILogger<DeadLetterGrain> logger) : Grain, IDeadLetterGrain
{
    async Task IDeadLetterGrain.AddAsync(DeadLetter[] added)
    {
        if (added.Length == 0)
            return;
        var keys = added.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var entries = store.State.Entries.Where(e => !keys.Contains(e.Key)).Concat(added.DistinctBy(e => e.Key)).ToList();
        if (entries.Count > IDeadLetterGrain.MaxEntries)
            entries.RemoveRange(0, entries.Count - IDeadLetterGrain.MaxEntries);
        await WriteAsync(entries);
        foreach (var run in added.GroupBy(e => e.RunId))
            await Webhooks.WebhookPublishing.TryPublishAsync(GrainFactory, Webhooks.WebhookPublishing.DeadLettered(run.Key, run.ToArray(), run.Max(e => e.At)), logger);
    }

    Task IDeadLetterGrain.AddAsync(DeadLetter entry) => ((IDeadLetterGrain)this).AddAsync([entry]);

    Task<DeadLetter[]> IDeadLetterGrain.ListAsync() => Task.FromResult(store.State.Entries.ToArray());

    Task<DeadLetter?> IDeadLetterGrain.GetAsync(string key) =>
        Task.FromResult(store.State.Entries.FirstOrDefault(e => e.Key == key));

    async Task<bool> IDeadLetterGrain.RemoveAsync(string key)
    {
        var entries = store.State.Entries.Where(e => e.Key != key).ToList();
        if (entries.Count == store.State.Entries.Count)
            return false;
        await WriteAsync(entries);
        return true;
    }

    async Task<int> IDeadLetterGrain.PurgeAsync()
    {
        var count = store.State.Entries.Count;
        if (count > 0)
            await WriteAsync([]);
        return count;
    }

    private Task WriteAsync(List<DeadLetter> entries) => store.WriteOrRevertAsync(new DeadLetterState { Entries = entries });
}
