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
}
