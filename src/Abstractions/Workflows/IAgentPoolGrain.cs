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

    /// <summary>A batch of attempts one worker ran has ended (called by the pool on itself).</summary>
    [Alias("Completed"), OneWay]
    Task CompletedAsync(CompletedWork[] work);
}
