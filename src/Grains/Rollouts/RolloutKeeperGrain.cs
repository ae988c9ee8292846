using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// One partition's keeper (<see cref="IRolloutKeeperGrain"/>): registers its one reminder when it
/// first keeps a rollout, and at each tick wakes every rollout it keeps, without waiting on them.
/// </summary>
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
