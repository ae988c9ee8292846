namespace Aviary.Grains.Rollouts;

[GenerateSerializer, Alias("aviary.PauseKind")]
public enum PauseKind
{
    None = 0,
    /// <summary>An operator paused; resume continues the stage.</summary>
    Manual = 1,
    /// <summary>Too many checks without enough samples; a human decides.</summary>
    Inconclusive = 2,
    /// <summary>A manual gate before the next stage; only promote passes it.</summary>
    Gate = 3,
    /// <summary>Ready to leave the first stage, waiting for the approvers the two-person rule needs; each approval counts, the last one continues.</summary>
    Approval = 4,
}
