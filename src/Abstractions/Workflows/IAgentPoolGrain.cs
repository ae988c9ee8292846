using Orleans.Concurrency;

namespace Aviary.Workflows;

/// <summary>
/// The workers of one agent kind (key: the kind): a queue by priority, between min and max
/// workers scaled by queue depth, a circuit breaker, and a result cache.
/// </summary>
[Alias("aviary.IAgentPoolGrain")]
public interface IAgentPoolGrain : IGrainWithStringKey
{
    [Alias("Enqueue")]
    Task EnqueueAsync(WorkItem[] items);

    [Alias("Get")]
    Task<AgentPoolView> GetAsync();

    /// <summary>
    /// Where this pool has each of <paramref name="attempts"/> of run <paramref name="runId"/>: a
    /// run asks when an attempt's timeout has passed, and times it out only if the pool no longer
    /// holds it (time waiting in the queue, e.g. behind an open breaker, does not count).
    /// </summary>
    [Alias("Holds")]
    Task<HeldWork[]> HoldsAsync(string runId, AttemptRef[] attempts);

    /// <summary>Drops the queued work of a cancelled run (what already runs finishes; its answer is ignored).</summary>
    [Alias("Forget")]
    Task ForgetAsync(string runId);

    /// <summary>A batch of attempts one worker ran has ended (called by the pool on itself).</summary>
    [Alias("Completed"), OneWay]
    Task CompletedAsync(CompletedWork[] work);
}
