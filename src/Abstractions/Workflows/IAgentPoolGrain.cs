using Orleans.Concurrency;

namespace Aviary.Workflows;

/// <summary>
/// The workers of one agent kind (key: the kind): a queue by priority, between min and max
/// workers scaled by queue depth, a circuit breaker, and a result cache. It owns every attempt it
/// is given until it answers it, and answers each exactly once, one-way to the attempt's run: with
/// the agent's result, or as a timeout at the attempt's deadline (begun plus its task's timeout;
/// time in the queue does not count).
/// </summary>
[Alias("aviary.IAgentPoolGrain")]
public interface IAgentPoolGrain : IGrainWithStringKey
{
    [Alias("Enqueue")]
    Task EnqueueAsync(WorkItem[] items);

    [Alias("Get")]
    Task<AgentPoolView> GetAsync();

    /// <summary>
    /// Where this pool has each of <paramref name="attempts"/> of run <paramref name="runId"/>:
    /// waiting in its queue, running, or not at all. A run asks now and then, to notice attempts
    /// that no pool will ever answer (lost with a silo); it never times an attempt itself.
    /// </summary>
    [Alias("Holds")]
    Task<HeldWork[]> HoldsAsync(string runId, AttemptRef[] attempts);

    /// <summary>Drops the queued work of a cancelled run (what already runs finishes; its answer is ignored).</summary>
    [Alias("Forget")]
    Task ForgetAsync(string runId);

    /// <summary>Batch <paramref name="batch"/>, run by one of the pool's workers, has ended (called by the pool on itself).</summary>
    [Alias("CompletedBatch"), OneWay]
    Task CompletedAsync(Guid batch, CompletedWork[] work);
}
