namespace Aviary.Grains.Rollouts;

/// <summary>
/// Which of a policy's thresholds a check broke, first one first: the decider acts on it,
/// <see cref="RolloutDescription.Explain"/> writes it out.
/// </summary>
public enum ThresholdBreach
{
    None = 0,
    ErrorRate = 1,
    P95 = 2,

    /// <summary>A shadow's compared copies answered differently from stable too often.</summary>
    Mismatch = 3,
}
