using Orleans.Concurrency;

namespace Aviary.Grains.Rollouts;

/// <summary>What a keeper wakes: a rollout grain, asked to look at its stored state.</summary>
[Alias("aviary.IRolloutWakeGrain")]
public interface IRolloutWakeGrain : IGrainWithStringKey
{
    /// <summary>
    /// One-way: a keeper never waits on a rollout (a rollout that ends calls its keeper, so a
    /// keeper waiting on rollouts could wait on itself). A rollout that has nothing left to do
    /// releases itself.
    /// </summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();
}
