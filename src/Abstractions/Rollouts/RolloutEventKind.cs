namespace Aviary.Rollouts;

[GenerateSerializer, Alias("aviary.RolloutEventKind")]
public enum RolloutEventKind
{
    Started = 0,
    StageAdvanced = 1,
    CheckCompleted = 2,
    Paused = 3,
    Resumed = 4,
    Promoted = 5,
    RolledBack = 6,
    Aborted = 7,
    Succeeded = 8,
    /// <summary>Someone approved the rollout leaving its first stage.</summary>
    Approved = 9,
}
