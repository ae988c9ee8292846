using Aviary.Workflows;

namespace Aviary.Grains.Agents;

/// <summary>
/// An attempt waiting in a pool or handed to a worker: its result-cache key (computed once, on
/// arrival; null when not cached), and its place in the queue, kept so that work a pool takes back
/// from a worker goes back where it was.
/// </summary>
public readonly record struct QueuedWork(WorkItem Item, string? CacheKey, long Sequence)
{
    public AttemptKey Key => AttemptKey.Of(Item);
}
