using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

[GenerateSerializer, Alias("aviary.RolloutKeeperState")]
public sealed class RolloutKeeperState
{
    [Id(0)] public HashSet<string> Rollouts { get; set; } = new(StringComparer.Ordinal);
}

public sealed partial class RolloutKeeperGrain(
    [PersistentState("rollout-keeper", Names.Storage)] IPersistentState<RolloutKeeperState> store,
    IOptions<GrainTimingOptions> timing,
    ILogger<RolloutKeeperGrain> logger) : Grain, IRolloutKeeperGrain, IRemindable
{
    public const int Partitions = 256;
    private const string ReminderName = "rollout-keeper";

    private bool _reminderRegistered;

    /// <summary>The keeper of <paramref name="rolloutId"/>'s partition.</summary>
    public static IRolloutKeeperGrain For(IGrainFactory grains, string rolloutId) =>
        grains.GetGrain<IRolloutKeeperGrain>(StableHash.Of(rolloutId) % Partitions);

    async Task IRolloutKeeperGrain.KeepAsync(string rolloutId)
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(ReminderName, timing.Value.ReminderPeriod, timing.Value.ReminderPeriod);
            _reminderRegistered = true;
        }
        if (store.State.Rollouts.Contains(rolloutId))
            return;
        await store.WriteOrRevertAsync(new RolloutKeeperState { Rollouts = new(store.State.Rollouts.Append(rolloutId), StringComparer.Ordinal) });
    }

    async Task IRolloutKeeperGrain.ReleaseAsync(string rolloutId)
    {
        if (!store.State.Rollouts.Contains(rolloutId))
            return;
        await store.WriteOrRevertAsync(new RolloutKeeperState { Rollouts = new(store.State.Rollouts.Where(id => id != rolloutId), StringComparer.Ordinal) });
    }

    Task<string[]> IRolloutKeeperGrain.ListAsync() => Task.FromResult(store.State.Rollouts.Order(StringComparer.Ordinal).ToArray());

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        foreach (var id in store.State.Rollouts)
            GrainFactory.GetGrain<IRolloutWakeGrain>(id).WakeAsync().Ignore();
        LogWoke(logger, this.GetPrimaryKeyLong(), store.State.Rollouts.Count);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rollout keeper {Partition} woke {Count} rollout(s)")]
    private static partial void LogWoke(ILogger logger, long partition, int count);
}
