using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>What a rollout grain persists: its spec and the decider's state.</summary>
[GenerateSerializer, Alias("aviary.RolloutGrainState")]
public sealed class RolloutGrainState
{
    [Id(0)] public RolloutSpec? Spec { get; set; }
    [Id(1)] public RolloutState? Machine { get; set; }
}
