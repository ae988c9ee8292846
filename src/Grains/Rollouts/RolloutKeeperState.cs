namespace Aviary.Grains.Rollouts;

/// <summary>The unfinished rollouts of one keeper's partition: the ids it wakes.</summary>
[GenerateSerializer, Alias("aviary.RolloutKeeperState")]
public sealed class RolloutKeeperState
{
    [Id(0)] public HashSet<string> Rollouts { get; set; } = new(StringComparer.Ordinal);
}
