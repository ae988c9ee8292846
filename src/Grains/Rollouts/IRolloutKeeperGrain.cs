using Orleans.Concurrency;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// Keeps the rollouts of one partition alive: a durable set of unfinished rollout ids and one
/// reminder that, each period, wakes every one of them. This stands in for a reminder per
/// rollout, which Orleans keeps in memory as a timer and a loop of its own (about 1.3 KB each,
/// and a row each in the reminder table): 256 reminders serve any number of rollouts.
/// </summary>
[Alias("aviary.IRolloutKeeperGrain")]
public interface IRolloutKeeperGrain : IGrainWithIntegerKey
{
    /// <summary>Stored before it returns: from then on the rollout is woken every reminder period until it is released.</summary>
    [Alias("Keep")]
    Task KeepAsync(string rolloutId);

    [Alias("Release")]
    Task ReleaseAsync(string rolloutId);

    [Alias("List"), ReadOnly]
    Task<string[]> ListAsync();
}
