namespace Aviary.Rollouts;

/// <summary>Where a rollout is in its life. The last three are final.</summary>
[GenerateSerializer, Alias("aviary.RolloutStatus")]
public enum RolloutStatus
{
    Pending = 0,
    Progressing = 1,
    Paused = 2,
    Succeeded = 3,
    RolledBack = 4,
    Aborted = 5,
}

public static class RolloutStatusExtensions
{
    public static bool IsFinal(this RolloutStatus status) =>
        status is RolloutStatus.Succeeded or RolloutStatus.RolledBack or RolloutStatus.Aborted;
}
