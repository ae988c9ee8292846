namespace Aviary.Agents.Models;

/// <summary>
/// When a feature counts as drifted: its PSI reaches <see cref="MaxPsi"/>, or its test rejects
/// "same distribution" at <see cref="Alpha"/> while its PSI is at least moderate (0.1), so that a
/// large sample's significant but negligible shift is not called drift. Below
/// <see cref="MinLiveCount"/> live values a feature is "not enough data", never drifted.
/// </summary>
public sealed record DriftThresholds
{
    public static DriftThresholds Default { get; } = new();

    /// <summary>Default 0.25 (the significant band).</summary>
    public double MaxPsi { get; init; } = PopulationStability.SignificantFrom;

    /// <summary>Default 0.01.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Default 100.</summary>
    public long MinLiveCount { get; init; } = 100;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad threshold.</summary>
    public DriftThresholds Validated()
    {
        if (!(MaxPsi > 0) || !double.IsFinite(MaxPsi))
            throw new ArgumentException($"maxPsi must be a number above 0 (got {MaxPsi})");
        if (!(Alpha is > 0 and < 1))
            throw new ArgumentException($"alpha must be between 0 and 1, exclusive (got {Alpha})");
        if (MinLiveCount < 1)
            throw new ArgumentException($"minLiveCount must be at least 1 (got {MinLiveCount})");
        return this;
    }

    /// <summary>The rule in one place: drift is a large PSI, or a significant test with at least a moderate PSI.</summary>
    public bool IsDrift(double psi, double pValue) =>
        psi >= MaxPsi || (pValue < Alpha && psi >= PopulationStability.ModerateFrom);
}
